#include "simtest.h"

#include <stdlib.h>

#include "traffic.h"
#include "xalloc.h"

struct topo *simtest_load(const char *rel)
{
	const char *top = getenv("top_srcdir");
	char *path = xasprintf("%s/%s", top ? top : ".", rel);
	struct ck_err err;
	struct topo *t = topo_load(path, &err);

	if (t == NULL)
		ck_abort_msg("%s: %s", path, err.msg);
	free(path);
	return t;
}

void simtest_gen(struct sim *s, struct flows *f, const char *spec,
		 uint64_t seed, uint32_t per_pair)
{
	struct traffic tr;
	struct ck_err err;

	ck_assert_int_eq(traffic_parse(spec, &tr, &err), 0);
	if (traffic_gen(&tr, s->net, seed, per_pair, f, &err) < 0)
		ck_abort_msg("%s: %s", spec, err.msg);
}

int simtest_main(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
