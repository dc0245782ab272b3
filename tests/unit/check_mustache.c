/* Mustache renderer: the official spec files as data, then our own rules
 * (parse error locations, injection guard, verbatim and strict modes). */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "err.h"
#include "mustache.h"
#include "sbuf.h"

static const char *const spec_files[] = {
	"interpolation.json", "sections.json", "inverted.json",
	"partials.json", "comments.json", "delimiters.json",
};

#define NSPEC (sizeof(spec_files) / sizeof(spec_files[0]))

/* MUSTACHE_SPEC_DIR, else shared/ beside the source tree ($top_srcdir, or
 * automake's $srcdir, which is the top for this non-recursive build), else
 * the copy in tests/mustache-spec (a release tarball has no shared/). */
static char *spec_path(const char *file)
{
	const char *dir = getenv("MUSTACHE_SPEC_DIR");
	const char *top = getenv("top_srcdir");
	char *path;

	if (top == NULL)
		top = getenv("srcdir");
	if (dir != NULL)
		ck_assert(asprintf(&path, "%s/%s", dir, file) >= 0);
	else if (top != NULL) {
		ck_assert(asprintf(&path, "%s/../shared/mustache-spec/%s", top,
				   file) >= 0);
		if (access(path, R_OK) != 0) {
			free(path);
			ck_assert(asprintf(&path, "%s/tests/mustache-spec/%s",
					   top, file) >= 0);
		}
	}
	else
		ck_assert(asprintf(&path, "../shared/mustache-spec/%s",
				   file) >= 0);
	return path;
}

static int add_partials(struct mustache_set *set, json_t *partials,
			struct ck_err *err)
{
	const char *name;
	json_t *src;

	json_object_foreach(partials, name, src) {
		if (!mustache_set_add(set, name, json_string_value(src),
				      json_string_length(src), err))
			return -1;
	}
	return 0;
}

/* Render one spec case; 0 when it matches, else the reason in why. */
static int spec_case(json_t *tc, struct sbuf *out, struct ck_err *err)
{
	struct mustache_set *set = mustache_set_new();
	json_t *tmpl = json_object_get(tc, "template");
	struct mustache *t;
	int rc = -1;

	if (add_partials(set, json_object_get(tc, "partials"), err) < 0)
		goto out;
	t = mustache_set_add(set, "(spec template)", json_string_value(tmpl),
			     json_string_length(tmpl), err);
	if (t == NULL)
		goto out;
	if (mustache_render(t, json_object_get(tc, "data"),
			    MUSTACHE_HTML_ESCAPE, out, err) < 0)
		goto out;
	rc = 0;
out:
	mustache_set_free(set);
	return rc;
}

static void note_failure(struct sbuf *why, const char *file, json_t *tc,
			 const char *got, const struct ck_err *err)
{
	char msg[1400] = "";

	if (got == NULL)
		ck_err_format(err, msg, sizeof(msg));
	sbuf_addf(why, "%s: \"%s\":\n  expected: \"%s\"\n  got:      %s%s%s\n",
		  file, json_string_value(json_object_get(tc, "name")),
		  json_string_value(json_object_get(tc, "expected")),
		  got ? "\"" : "error: ", got ? got : msg, got ? "\"" : "");
}

/* Run every case of one spec file; report all mismatches at once. */
static void run_spec_file(const char *file)
{
	char *path = spec_path(file);
	json_error_t jerr;
	json_t *doc = json_load_file(path, 0, &jerr), *tc;
	struct sbuf why, out;
	struct ck_err err;
	size_t i, nrun = 0, nfail = 0;
	const char *want;

	ck_assert_msg(doc != NULL, "%s: %s (set MUSTACHE_SPEC_DIR)", path,
		      jerr.text);
	sbuf_init(&why);
	sbuf_init(&out);
	json_array_foreach(json_object_get(doc, "tests"), i, tc) {
		sbuf_reset(&out);
		memset(&err, 0, sizeof(err));
		want = json_string_value(json_object_get(tc, "expected"));
		nrun++;
		if (spec_case(tc, &out, &err) < 0) {
			note_failure(&why, file, tc, NULL, &err);
			nfail++;
		} else if (strcmp(out.s ? out.s : "", want) != 0) {
			note_failure(&why, file, tc, out.s ? out.s : "", &err);
			nfail++;
		}
	}
	printf("%s: %zu/%zu passed\n", file, nrun - nfail, nrun);
	fflush(stdout);	/* a failing check ends the child before exit() */
	if (nfail)
		fputs(why.s, stderr);
	ck_assert_msg(nrun > 0, "%s: no test cases found", path);
	ck_assert_msg(nfail == 0, "%s: %zu of %zu cases failed:\n%s", file,
		      nfail, nrun, why.s);
	sbuf_free(&why);
	sbuf_free(&out);
	json_decref(doc);
	free(path);
}

START_TEST(spec_file)
{
	run_spec_file(spec_files[_i]);
}
END_TEST

/* ---- helpers for our own cases ---------------------------------------- */

static struct mustache *parse(struct mustache_set *set, const char *name,
			      const char *src, struct ck_err *err)
{
	memset(err, 0, sizeof(*err));
	return mustache_set_add(set, name, src, strlen(src), err);
}

/* Parse src, render it with data (JSON text) and flags: 0 or -1. */
static int render(const char *src, const char *data, unsigned flags,
		  struct sbuf *out, struct ck_err *err)
{
	struct mustache_set *set = mustache_set_new();
	struct mustache *t = parse(set, "t", src, err);
	json_t *ctx = json_loads(data, JSON_DECODE_ANY, NULL);
	int rc;

	ck_assert_msg(t != NULL, "parse: %s", err->msg);
	ck_assert_msg(ctx != NULL, "bad test data %s", data);
	sbuf_init(out);
	rc = mustache_render(t, ctx, flags, out, err);
	json_decref(ctx);
	mustache_set_free(set);
	return rc;
}

static void assert_renders(const char *src, const char *data, unsigned flags,
			   const char *want)
{
	struct ck_err err;
	struct sbuf out;

	ck_assert_msg(render(src, data, flags, &out, &err) == 0, "%s: %s",
		      src, err.msg);
	ck_assert_str_eq(out.s ? out.s : "", want);
	sbuf_free(&out);
}

static void assert_render_fails(const char *src, const char *data,
				unsigned flags, int line, const char *needle)
{
	struct ck_err err;
	struct sbuf out;

	memset(&err, 0, sizeof(err));
	ck_assert_msg(render(src, data, flags, &out, &err) == -1,
		      "%s rendered \"%s\"", src, out.s ? out.s : "");
	ck_assert_str_eq(err.file, "t");
	ck_assert_int_eq(err.line, line);
	ck_assert_msg(strstr(err.msg, needle) != NULL, "\"%s\" lacks \"%s\"",
		      err.msg, needle);
	sbuf_free(&out);
}

static void assert_parse_fails(const char *src, int line, int col,
			       const char *needle)
{
	struct mustache_set *set = mustache_set_new();
	struct ck_err err;

	ck_assert_ptr_null(parse(set, "bad.tmpl", src, &err));
	ck_assert_ptr_null(mustache_set_get(set, "bad.tmpl"));
	ck_assert_str_eq(err.file, "bad.tmpl");
	ck_assert_msg(err.line == line && err.col == col,
		      "%s: at %d:%d, want %d:%d (%s)", src, err.line, err.col,
		      line, col, err.msg);
	ck_assert_msg(strstr(err.msg, needle) != NULL, "\"%s\" lacks \"%s\"",
		      err.msg, needle);
	mustache_set_free(set);
}

/* ---- parse errors ----------------------------------------------------- */

START_TEST(error_unclosed_section)
{
	assert_parse_fails("a\n\n  {{#peers}}\n{{name}}\n", 3, 3,
			   "unclosed section \"peers\" opened at line 3");
	/* the innermost open section is the one to close */
	assert_parse_fails("{{#a}}\n{{^b}}\nx\n", 2, 1,
			   "unclosed section \"b\"");
}
END_TEST

START_TEST(error_mismatched_close)
{
	assert_parse_fails("{{#a}}\n{{#b}}\nx\n {{/a}}\n{{/b}}\n", 4, 2,
			   "mismatched close tag \"a\"");
	assert_parse_fails("x\n{{/a}}", 2, 1, "no open section");
}
END_TEST

START_TEST(error_unclosed_tag)
{
	assert_parse_fails("one\ntwo {{name\nthree\n", 2, 5, "unclosed tag");
	/* a later tag must not swallow the unclosed one */
	assert_parse_fails("one\ntwo {{name\nthree {{x}}\n", 2, 5,
			   "unclosed tag");
	assert_parse_fails("{{{raw}}\n", 1, 1, "unclosed tag");
	assert_parse_fails("x {{! no end\n", 1, 3, "unclosed tag");
}
END_TEST

START_TEST(error_bad_tags)
{
	assert_parse_fails("a\n{{=<% =}}", 2, 1, "bad delimiter");
	assert_parse_fails("{{=a b c=}}", 1, 1, "bad delimiter");
	assert_parse_fails("{{=<= =>=}}", 1, 1, "bad delimiter");
	assert_parse_fails("x {{ }}", 1, 3, "empty tag");
	assert_parse_fails("{{a..b}}", 1, 1, "bad name");
	assert_parse_fails("{{#a.}}{{/a.}}", 1, 1, "bad name");
}
END_TEST

START_TEST(error_duplicate_name)
{
	struct mustache_set *set = mustache_set_new();
	struct ck_err err;

	ck_assert_ptr_nonnull(parse(set, "a", "x", &err));
	ck_assert_ptr_null(parse(set, "a", "y", &err));
	ck_assert_msg(strstr(err.msg, "already") != NULL, "%s", err.msg);
	mustache_set_free(set);
}
END_TEST

/* ---- render modes ----------------------------------------------------- */

START_TEST(no_ctrl_guard)
{
	const char *src = "hostname {{name}}\n";

	assert_render_fails(src, "{\"name\": \"r1\\nip route 0/0 x\"}",
			    MUSTACHE_NO_CTRL, 1, "\"name\"");
	assert_render_fails(src, "{\"name\": \"r1\\r\"}", MUSTACHE_NO_CTRL,
			    1, "0x0d");
	assert_render_fails("x\n{{{a.b}}}", "{\"a\": {\"b\": \"\\u007f\"}}",
			    MUSTACHE_NO_CTRL, 2, "0x7f");
	assert_renders(src, "{\"name\": \"leaf-1.pod_2\"}", MUSTACHE_NO_CTRL,
		       "hostname leaf-1.pod_2\n");
	/* without the flag a newline is just data */
	assert_renders(src, "{\"name\": \"a\\nb\"}", 0, "hostname a\nb\n");
}
END_TEST

START_TEST(verbatim_and_escape)
{
	const char *data = "{\"x\": \"a&b<c>d\\\"e'\"}";

	assert_renders("{{x}}|{{{x}}}|{{&x}}", data, 0,
		       "a&b<c>d\"e'|a&b<c>d\"e'|a&b<c>d\"e'");
	assert_renders("{{x}}|{{{x}}}", data, MUSTACHE_HTML_ESCAPE,
		       "a&amp;b&lt;c&gt;d&quot;e&#39;|a&b<c>d\"e'");
}
END_TEST

START_TEST(strict_missing)
{
	const char *data = "{\"a\": {\"b\": 1}, \"l\": [{\"x\": 1}]}";

	assert_render_fails("{{a.b}}\n{{nope}}\n", data, MUSTACHE_STRICT, 2,
			    "\"nope\"");
	assert_render_fails("{{a.c}}", data, MUSTACHE_STRICT, 1, "\"a.c\"");
	assert_render_fails("\n\n{{#l}}{{y}}{{/l}}", data, MUSTACHE_STRICT, 3,
			    "\"y\"");
	assert_render_fails("{{#sec}}x{{/sec}}", data, MUSTACHE_STRICT, 1,
			    "\"sec\"");
	assert_render_fails("{{^sec}}x{{/sec}}", data, MUSTACHE_STRICT, 1,
			    "\"sec\"");
	assert_render_fails("a\n{{>part}}", data, MUSTACHE_STRICT, 2,
			    "partial \"part\"");
	/* found-but-falsey is not missing */
	assert_renders("{{#l}}{{x}}{{/l}}{{^a.b}}no{{/a.b}}", data,
		       MUSTACHE_STRICT, "1");
	assert_renders("[{{nope}}{{>part}}]", data, 0, "[]");
}
END_TEST

START_TEST(render_twice_same)
{
	struct mustache_set *set = mustache_set_new();
	json_t *ctx = json_pack("{s:s, s:[{s:i}, {s:i}]}", "host", "spine1",
				"ifs", "n", 1, "n", 2);
	struct mustache *t;
	struct sbuf a, b;
	struct ck_err err;

	ck_assert_ptr_nonnull(parse(set, "if", "interface eth{{n}}\n", &err));
	t = parse(set, "main", "hostname {{host}}\n{{#ifs}}\n  {{>if}}\n"
		  "{{/ifs}}\n", &err);
	ck_assert_ptr_nonnull(t);
	sbuf_init(&a);
	sbuf_init(&b);
	ck_assert_int_eq(mustache_render(t, ctx, 0, &a, &err), 0);
	ck_assert_int_eq(mustache_render(t, ctx, 0, &b, &err), 0);
	ck_assert_str_eq(a.s, "hostname spine1\n  interface eth1\n"
			 "  interface eth2\n");
	ck_assert_str_eq(a.s, b.s);
	sbuf_free(&a);
	sbuf_free(&b);
	json_decref(ctx);
	mustache_set_free(set);
}
END_TEST

START_TEST(error_in_partial)
{
	struct mustache_set *set = mustache_set_new();
	json_t *ctx = json_pack("{s:s}", "a", "x");
	struct mustache *t;
	struct ck_err err;
	struct sbuf out;

	ck_assert_ptr_nonnull(parse(set, "bgp.part", "{{a}}\n{{asn}}\n", &err));
	t = parse(set, "main", "{{>bgp.part}}", &err);
	ck_assert_ptr_nonnull(t);
	sbuf_init(&out);
	ck_assert_int_eq(mustache_render(t, ctx, MUSTACHE_STRICT, &out, &err),
			 -1);
	ck_assert_str_eq(err.file, "bgp.part");
	ck_assert_int_eq(err.line, 2);
	ck_assert_msg(strstr(err.msg, "\"asn\"") != NULL, "%s", err.msg);
	sbuf_free(&out);
	json_decref(ctx);
	mustache_set_free(set);
}
END_TEST

/* ---- our choices where the spec is silent ----------------------------- */

START_TEST(values)
{
	assert_renders("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}}",
		       "{\"a\": -9223372036854775808, \"b\": 0.1, \"c\": 1e300,"
		       " \"d\": 2.0, \"e\": true, \"f\": false}", 0,
		       "-9223372036854775808 0.1 1e+300 2 true false");
	assert_renders("{{#s}}s{{/s}}{{^s}}!s{{/s}}{{#z}}z{{/z}}{{#o}}o{{/o}}",
		       "{\"s\": \"\", \"z\": 0, \"o\": {}}", 0, "!szo");
	assert_render_fails("{{l}}", "{\"l\": [1]}", 0, 1, "array");
	assert_render_fails("\n{{o}}", "{\"o\": {}}", 0, 2, "object");
}
END_TEST

START_TEST(nested_partial_indent)
{
	struct mustache_set *set = mustache_set_new();
	json_t *ctx = json_pack("{s:[i,i]}", "l", 1, 2);
	struct mustache *t;
	struct ck_err err;
	struct sbuf out;

	parse(set, "inner", "i{{.}}\n\nj {{! c }}\n{{! c }}k\n", &err);
	parse(set, "outer", "o\n  {{>inner}}\n", &err);
	t = parse(set, "t", "{{#l}}\n  {{>outer}}\n{{/l}}\n", &err);
	ck_assert_ptr_nonnull(t);
	sbuf_init(&out);
	ck_assert_int_eq(mustache_render(t, ctx, 0, &out, &err), 0);
	ck_assert_str_eq(out.s, "  o\n    i1\n    \n    j \n    k\n"
			 "  o\n    i2\n    \n    j \n    k\n");
	sbuf_free(&out);
	json_decref(ctx);
	mustache_set_free(set);
}
END_TEST

START_TEST(runaway_recursion)
{
	struct mustache_set *set = mustache_set_new();
	struct ck_err err;
	struct mustache *t = parse(set, "loop", "x{{>loop}}", &err);
	struct sbuf out;

	ck_assert_ptr_nonnull(t);
	sbuf_init(&out);
	ck_assert_int_eq(mustache_render(t, NULL, 0, &out, &err), -1);
	ck_assert_str_eq(err.file, "loop");
	ck_assert_msg(strstr(err.msg, "nested more than") != NULL, "%s",
		      err.msg);
	sbuf_free(&out);
	mustache_set_free(set);
}
END_TEST

static Suite *mustache_suite(void)
{
	Suite *s = suite_create("mustache");
	TCase *spec = tcase_create("spec");
	TCase *errors = tcase_create("parse errors");
	TCase *modes = tcase_create("render modes");
	TCase *ours = tcase_create("beyond the spec");

	tcase_add_loop_test(spec, spec_file, 0, (int)NSPEC);
	tcase_add_test(errors, error_unclosed_section);
	tcase_add_test(errors, error_mismatched_close);
	tcase_add_test(errors, error_unclosed_tag);
	tcase_add_test(errors, error_bad_tags);
	tcase_add_test(errors, error_duplicate_name);
	tcase_add_test(modes, no_ctrl_guard);
	tcase_add_test(modes, verbatim_and_escape);
	tcase_add_test(modes, strict_missing);
	tcase_add_test(modes, render_twice_same);
	tcase_add_test(modes, error_in_partial);
	tcase_add_test(ours, values);
	tcase_add_test(ours, nested_partial_indent);
	tcase_add_test(ours, runaway_recursion);
	suite_add_tcase(s, spec);
	suite_add_tcase(s, errors);
	suite_add_tcase(s, modes);
	suite_add_tcase(s, ours);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(mustache_suite());
	int nfail;

	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfail != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
