/* Node names: one rule for every name that becomes a file name (the bundle's
 * nodes/NAME/), a network namespace (LAB-NAME), a CSV field (cabling.csv)
 * and an FRR hostname. fabric-gen checks every generated name with it, and
 * every reader of a bundle (fabricctl, fabric-lab) checks the names it takes
 * from manifest.json again, since a bundle on disk is input like any other. */
#ifndef CK_NODENAME_H
#define CK_NODENAME_H

#include <stddef.h>

/* The longest name: an RFC 1123 label (63), which also keeps the lab's
 * "LAB-NAME" namespace and the FRR hostname (HOST_NAME_MAX 64) in bounds. */
#define CK_NODENAME_MAX 63

/* 0 when s is a valid node name: 1 to CK_NODENAME_MAX characters, each an
 * lower-case ASCII letter, digit or '-', not starting or ending with '-'. Dots are not
 * allowed: a name is a single host-name label, never a path component like
 * "." or "..", and never an FQDN that FRR or a resolver could complete.
 * Otherwise -1, with *why (if not NULL) set to a static phrase that says
 * what is wrong ("contains '/'", "is longer than 63 characters", ...). */
int ck_nodename_check(const char *s, const char **why);

#endif
