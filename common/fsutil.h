/* File helpers: whole-file read, atomic file write, atomic directory
 * replacement, recursive removal. All return 0 / -1 and fill err. */
#ifndef CK_FSUTIL_H
#define CK_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/* Read a whole file; *out is NUL-terminated and owned by the caller. */
int fs_read_file(const char *path, char **out, size_t *len, struct ck_err *err);
/* The same, but read at most max + 1 bytes: a file longer than max comes
 * back cut at max + 1 (so *len > max), and the caller says why it is too
 * large, without the whole of it in memory first. */
int fs_read_file_max(const char *path, size_t max, char **out, size_t *len,
		     struct ck_err *err);
/* Write path.tmp, fsync, rename over path (fsync the directory too). */
/* Does path name something that exists and is neither a regular file nor
 * a directory: a device (/dev/null, /dev/stdout's target), a FIFO, a
 * socket? Output to such a path is written in place: replacing it by a
 * rename would destroy it (a regular file where /dev/null was). */
bool fs_is_special(const char *path);
int fs_write_atomic(const char *path, const void *data, size_t len,
		    struct ck_err *err);
/* Write a file inside a directory handle without fsync (bulk output that is
 * made durable and visible as a whole by fs_dir_replace()). */
int fs_write_at(int dirfd, const char *name, const void *data, size_t len,
		struct ck_err *err);
/* Create a fresh sibling directory for building the replacement of path;
 * returns its path (caller frees). */
char *fs_dir_staging(const char *path, struct ck_err *err);
/* Put staging in place of path: atomic exchange when path exists, rename
 * otherwise; the previous content is removed afterwards. */
int fs_dir_replace(const char *staging, const char *path, struct ck_err *err);
/* rm -rf; a missing path is not an error. */
int fs_rmtree(const char *path);
/* mkdir -p */
int fs_mkdirs(const char *path, int mode, struct ck_err *err);

#endif
