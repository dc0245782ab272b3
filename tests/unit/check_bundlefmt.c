/* The bundle format: every golden manifest.json and node.json reads and
 * writes back byte for byte, and a malformed one is refused with an error
 * that names the file and the key. */
#include <check.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundlefmt.h"
#include "fsutil.h"
#include "xalloc.h"

static glob_t golden(const char *pattern)
{
	const char *top = getenv("top_srcdir");
	char *p = xasprintf("%s/tests/golden/%s", top ? top : ".", pattern);
	glob_t g;

	ck_assert_int_eq(glob(p, 0, NULL, &g), 0);
	free(p);
	return g;
}

static char *slurp(const char *path)
{
	struct ck_err err;
	char *s = NULL;

	ck_assert_msg(fs_read_file(path, &s, NULL, &err) == 0, "%s: %s",
		      path, err.msg);
	return s;
}

START_TEST(node_round_trip)
{
	glob_t g = golden("*/nodes/*/node.json");
	size_t i;

	ck_assert_uint_gt(g.gl_pathc, 20);	/* every case, compact too */
	for (i = 0; i < g.gl_pathc; i++) {
		struct bundlefmt_node n;
		struct ck_err err;
		char *want = slurp(g.gl_pathv[i]), *got;

		ck_assert_msg(bundlefmt_node_read(g.gl_pathv[i], &n, &err) == 0,
			      "%s: %s", err.file, err.msg);
		got = bundlefmt_node_text(&n);
		ck_assert_msg(strcmp(got, want) == 0, "%s differs once "
			      "written back", g.gl_pathv[i]);
		bundlefmt_node_free(&n);
		free(got);
		free(want);
	}
	globfree(&g);
}
END_TEST

START_TEST(manifest_round_trip)
{
	glob_t g = golden("*/manifest.json");
	size_t i;

	ck_assert_uint_ge(g.gl_pathc, 3);
	for (i = 0; i < g.gl_pathc; i++) {
		struct bundlefmt_manifest m;
		struct ck_err err;
		char *dir = xstrdup(g.gl_pathv[i]), *want, *got;

		*strrchr(dir, '/') = '\0';
		want = slurp(g.gl_pathv[i]);
		ck_assert_msg(bundlefmt_manifest_read(dir, 0, &m, &err) == 0,
			      "%s: %s", err.file, err.msg);
		got = bundlefmt_manifest_text(&m);
		ck_assert_msg(strcmp(got, want) == 0, "%s differs once "
			      "written back", g.gl_pathv[i]);
		bundlefmt_manifest_free(&m);
		free(got);
		free(want);
		free(dir);
	}
	globfree(&g);
}
END_TEST

/* A golden node.json with one edit (sed-like: first "from" becomes "to")
 * must be refused with msg naming the key. */
static void node_refused(const char *from, const char *to, const char *msg)
{
	glob_t g = golden("lab-small/nodes/spine01/node.json");
	char *text = slurp(g.gl_pathv[0]), *at = strstr(text, from), *bad;
	char path[] = "/tmp/check_bundlefmt.XXXXXX";
	struct bundlefmt_node n;
	struct ck_err err;
	int fd = mkstemp(path);

	ck_assert_ptr_nonnull(at);
	ck_assert_int_ge(fd, 0);
	bad = xasprintf("%.*s%s%s", (int)(at - text), text, to,
			at + strlen(from));
	ck_assert_int_eq(fs_write_atomic(path, bad, strlen(bad), &err), 0);
	ck_assert_int_eq(bundlefmt_node_read(path, &n, &err), -1);
	ck_assert_str_eq(err.file, path);
	ck_assert_msg(strstr(err.msg, msg) != NULL, "'%s' lacks '%s'",
		      err.msg, msg);
	unlink(path);
	close(fd);
	free(bad);
	free(text);
	globfree(&g);
}

START_TEST(node_bad)
{
	node_refused("\"asn\":", "\"ASN\":", "no \"asn\" (expected an integer)");
	node_refused("\"mtu\": 9000", "\"mtu\": \"9000\"",
		     "\"mtu\": expected an integer");
	node_refused("\"speedMbps\": 10000", "\"speedMbps\": true",
		     "\"interfaces[0].speedMbps\": expected an integer");
	node_refused("\"port\":", "\"Port\":",
		     "no \"interfaces[0].peer.port\" (expected a string)");
	node_refused("\"peerAsn\": ", "\"peerAsn\": \"x\", \"y\": ",
		     "\"bgpPeers[0].peerAsn\": expected an integer");
	node_refused("\"sha256\":", "\"sha\":",
		     "no \"files.frr.conf.sha256\"");
	node_refused("\"name\": \"spine01\"", "\"name\": \"spine01\",,",
		     "");	/* not JSON: jansson's message, file named */
}
END_TEST

static void manifest_refused(const char *text, unsigned flags,
			     const char *msg)
{
	char dir[] = "/tmp/check_bundlefmt.XXXXXX";
	char *p;
	struct bundlefmt_manifest m;
	struct ck_err err;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	p = xasprintf("%s/manifest.json", dir);
	ck_assert_int_eq(fs_write_atomic(p, text, strlen(text), &err), 0);
	ck_assert_int_eq(bundlefmt_manifest_read(dir, flags, &m, &err), -1);
	ck_assert_str_eq(err.file, p);
	ck_assert_msg(strstr(err.msg, msg) != NULL, "'%s' lacks '%s'",
		      err.msg, msg);
	unlink(p);
	rmdir(dir);
	free(p);
}

START_TEST(manifest_bad)
{
	manifest_refused("{\"nodes\": []}", 0, "(no 'fabric' name)");
	manifest_refused("{\"fabric\": 1, \"generation\": 1, \"nodes\": []}",
			 BUNDLEFMT_LENIENT, "'fabric' is not a string");
	manifest_refused("{\"fabric\": \"f\", \"generation\": \"1\", "
			 "\"nodes\": []}", 0, "'generation' is not an integer");
	manifest_refused("{\"fabric\": \"f\", \"generation\": 1, \"nodes\": "
			 "[{\"name\": \"a\", \"role\": \"tor\"}]}", 0,
			 "nodes[0] ('a') has no \"sha256\"");
	manifest_refused("{\"generation\": 1, \"nodes\": [{\"name\": "
			 "\"../x\", \"role\": \"tor\"}]}", BUNDLEFMT_LENIENT,
			 "nodes[0]: node name '../x'");
}
END_TEST

/* Lenient: what a push needs (names, roles) is enough. */
START_TEST(manifest_lenient)
{
	char dir[] = "/tmp/check_bundlefmt.XXXXXX";
	const char *text = "{\"nodes\": [{\"name\": \"a\", \"role\": \"tor\", "
			   "\"pod\": null}]}";
	char *p;
	struct bundlefmt_manifest m;
	struct ck_err err;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	p = xasprintf("%s/manifest.json", dir);
	ck_assert_int_eq(fs_write_atomic(p, text, strlen(text), &err), 0);
	ck_assert_int_eq(bundlefmt_manifest_read(dir, BUNDLEFMT_LENIENT, &m,
						 &err), 0);
	ck_assert_uint_eq(m.n_nodes, 1);
	ck_assert_str_eq(m.nodes[0].role, "tor");
	ck_assert_ptr_null(m.nodes[0].pod);
	ck_assert_ptr_null(m.nodes[0].sha256);
	ck_assert_ptr_null(m.fabric);
	bundlefmt_manifest_free(&m);
	unlink(p);
	rmdir(dir);
	free(p);
}
END_TEST

static Suite *bundlefmt_suite(void)
{
	Suite *s = suite_create("bundlefmt");
	TCase *rt = tcase_create("round-trip"), *bad = tcase_create("refusals");

	tcase_set_timeout(rt, 60);
	tcase_add_test(rt, node_round_trip);
	tcase_add_test(rt, manifest_round_trip);
	tcase_add_test(bad, node_bad);
	tcase_add_test(bad, manifest_bad);
	tcase_add_test(bad, manifest_lenient);
	suite_add_tcase(s, rt);
	suite_add_tcase(s, bad);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(bundlefmt_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
