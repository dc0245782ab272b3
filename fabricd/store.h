/* The state directory: everything the agent must remember across restarts,
 * each file replaced atomically (write, fsync, rename):
 *   lkg.json, lkg.frr.conf    last-known-good (generation, node.json, config)
 *   prev.json, prev.frr.conf  the LKG before it (POST /v1/rollback)
 *   cand.json, cand.frr.conf  the candidate of the open transaction
 *   journal.json              the open transaction: phase and plan
 *   history.json              the last transactions, newest first
 *   drained                   present while the node is drained
 *   check.conf, run/frr.conf  scratch: what vtysh --dryrun / frr-reload
 *                             read
 *   run/dry-run.XXXXXX        scratch of a dry run, removed after it */
#ifndef FD_STORE_H
#define FD_STORE_H

#include <jansson.h>

#include "err.h"

struct nodecfg;

/* A stored configuration: generation 0 with node NULL is "what the box ran
 * before fabricd" (the saved frr.conf at first start). */
struct store_cfg {
	long long generation;
	struct nodecfg *node;	/* owned; NULL at generation 0 */
	char *frr;		/* raw frr.conf text, owned */
};

/* Creates dir/run and an empty STORE_RELOAD_DIR (what a killed
 * frr-reload.py left there before a restart is removed). */
int store_init(const char *dir, struct ck_err *err);
/* frr-reload.py's --rundir, below the state dir: it writes a
 * reload-XXXXXX.txt there per run and leaves it when it is killed or times
 * out, so the agent empties it at start and after every run instead of
 * letting FRR's own run directory fill up. */
#define STORE_RELOAD_DIR "frr-reload"
/* Empty (or create) dir/STORE_RELOAD_DIR. */
int store_reload_dir_reset(const char *dir, struct ck_err *err);
/* slot: "lkg", "prev" or "cand". Missing files: returns 1 (nothing). */
int store_load(const char *dir, const char *slot, struct store_cfg *out,
	       struct ck_err *err);
int store_save(const char *dir, const char *slot, const struct store_cfg *c,
	       struct ck_err *err);
int store_remove(const char *dir, const char *slot);
void store_cfg_free(struct store_cfg *c);

/* journal.json into *out (new reference): 0, or 1 when there is none. */
int store_journal_read(const char *dir, json_t **out, struct ck_err *err);
int store_journal_write(const char *dir, json_t *j, struct ck_err *err);
int store_journal_clear(const char *dir, struct ck_err *err);

/* history.json: entry is prepended, the list cut to keep entries. */
json_t *store_history(const char *dir);	/* new reference, [] if none */
int store_history_add(const char *dir, json_t *entry, int keep,
		      struct ck_err *err);

int store_drained(const char *dir);
int store_set_drained(const char *dir, int drained, struct ck_err *err);

/* Write a file atomically (path inside dir); name relative to dir. */
int store_write(const char *dir, const char *name, const char *text,
		struct ck_err *err);
char *store_path(const char *dir, const char *name);	/* caller frees */
/* A scratch file holding text, for one reader now (vtysh --dryrun of a dry
 * run): dir/run/NAME.XXXXXX, created exclusively, mode 0600, not synced
 * (nothing reads it after a restart). Returns its path, which the caller
 * passes to store_scratch_remove(), or NULL. */
char *store_scratch_new(const char *dir, const char *name, const char *text,
			struct ck_err *err);
/* Remove the scratch file and free path (NULL: nothing to do). */
void store_scratch_remove(char *path);

#endif
