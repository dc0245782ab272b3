/* SHA-256 as 64 lowercase hex digits: the checksums fabric-gen writes into
 * a bundle and the agent checks, computed by one function on both sides. */
#ifndef CK_SHA256_H
#define CK_SHA256_H

#include <stddef.h>

void ck_sha256_hex(const void *data, size_t len, char hex[65]);

#endif
