/* What a lab created, on disk (/run/closkit/lab/NAME/state.json), so that
 * `fabric-lab down` removes exactly that, even after a half-finished `up`
 * or a crash. Saved after every step of `up`. */
#ifndef CK_STATE_H
#define CK_STATE_H

#include <jansson.h>

#include "err.h"

#define LAB_RUNDIR "/run/closkit/lab"

struct lab_state {
	char *name;
	char *dir;		/* LAB_RUNDIR/NAME */
	json_t *j;		/* {"name", "topology", "namespaces": [], "dirs": [],
				 *  "processes": [{"node", "prog", "pid", "start"}],
				 *  "stages": {}} */
};

/* A new lab: refuses if its directory exists. */
struct lab_state *state_create(const char *name, const char *topology,
			       struct ck_err *err);
/* An existing lab; NULL name picks the only one there is. */
struct lab_state *state_open(const char *name, struct ck_err *err);
int state_save(struct lab_state *s, struct ck_err *err);
void state_free(struct lab_state *s);

void state_add_namespace(struct lab_state *s, const char *ns);
void state_add_dir(struct lab_state *s, const char *path);
void state_add_process(struct lab_state *s, const char *node,
		       const char *prog, long pid);
void state_set_stage(struct lab_state *s, const char *stage, double secs);
/* The process's start time (field 22 of /proc/PID/stat), 0 if gone: with
 * the pid it identifies one process, so `down` never kills a reused pid. */
unsigned long long state_proc_start(long pid);

#endif
