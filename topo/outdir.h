/* The output directory of a build: fabric-gen replaces it whole, so it
 * decides first, before anything is rendered, whether that is safe. */
#ifndef CK_OUTDIR_H
#define CK_OUTDIR_H

#include <stdbool.h>

#include "err.h"

struct outdir {
	char *path;	/* absolute, symlinks resolved: where to write */
	char *created;	/* first parent directory we made, or NULL */
};

/* Resolve DIR and create its missing parents (mkdir -p). DIR may then be
 * replaced when it is absent, empty or a closkit bundle (a valid
 * manifest.json, nothing beside the bundle's own files, no node directory
 * the manifest does not list); anything else only with force. A directory
 * that is or holds one of the protect paths (NULL-terminated; the inputs)
 * is refused even with force, as is a DIR that is not a directory. On
 * refusal nothing is left behind. Fills out (release with outdir_free). */
int outdir_prepare(const char *dir, const char *const *protect, bool force,
		   struct outdir *out, struct ck_err *err);
/* Remove the parents outdir_prepare created (after a failed build). */
void outdir_undo(struct outdir *out);
void outdir_free(struct outdir *out);

#endif
