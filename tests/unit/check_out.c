/* The text/JSON writer: which back-end prints what, the one set of jansson
 * flags, and the streaming layout (the bytes topology.json and the
 * simulator's dumps are made of). */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"

/* What a view prints through o, as a string the caller frees. */
static char *print(const struct out_ops *o, const struct out_view *v)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct ck_err err;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(out_write(o, v, f, "test", &err), 0);
	fclose(f);
	return buf;
}

static void count_text(const json_t *j, FILE *f, const void *arg)
{
	fprintf(f, "%s has %lld\n", (const char *)arg,
		json_integer_value(json_object_get(j, "n")));
}

START_TEST(format_follows_json_flag)
{
	ck_assert_ptr_eq(out_format(0), &out_text);
	ck_assert_ptr_eq(out_format(1), &out_json);
	ck_assert_str_eq(out_format(1)->name, "json");
}
END_TEST

/* Keys in the order they were set, two spaces of indent, one newline. */
START_TEST(json_keeps_key_order)
{
	json_t *j = json_pack("{s:i, s:i, s:[i]}", "z", 1, "a", 2, "m", 3);
	struct out_view v = { j, NULL, count_text, "x" };
	char *s = print(&out_json, &v);

	ck_assert_str_eq(s, "{\n  \"z\": 1,\n  \"a\": 2,\n  \"m\": [\n"
			    "    3\n  ]\n}\n");
	free(s);
	s = out_json_dumps(j);
	ck_assert_str_eq(s, "{\n  \"z\": 1,\n  \"a\": 2,\n  \"m\": [\n"
			    "    3\n  ]\n}");
	free(s);
	json_decref(j);
}
END_TEST

START_TEST(text_renders_the_same_result)
{
	json_t *j = json_pack("{s:i}", "n", 7);
	struct out_view v = { j, NULL, count_text, "fabric" };
	struct out_view quiet = { j, NULL, NULL, NULL };
	char *s = print(&out_text, &v);

	ck_assert_str_eq(s, "fabric has 7\n");
	free(s);
	s = print(&out_text, &quiet);
	ck_assert_str_eq(s, "");
	free(s);
	/* --quiet silences text, never the JSON a script asked for */
	s = print(&out_json, &quiet);
	ck_assert_str_eq(s, "{\n  \"n\": 7\n}\n");
	free(s);
	json_decref(j);
}
END_TEST

static void probe_stream(struct out_stream *s, const void *arg)
{
	(void)arg;
	out_open(s, NULL, '{', 0);
	out_str(s, "src", "a");
	out_uint(s, "lost", 0);
	out_fixed(s, "maxGapMs", 50.994, 3);
	out_close(s);
}

static void probe_text(const json_t *j, FILE *f, const void *arg)
{
	(void)arg;
	fprintf(f, "probe (%s)\n", j ? "json" : "streamed");
}

START_TEST(streamed_result)
{
	struct out_view v = { NULL, probe_stream, probe_text, NULL };
	char *s = print(&out_json, &v);

	ck_assert_str_eq(s, "{\"src\": \"a\", \"lost\": 0, "
			    "\"maxGapMs\": 50.994}\n");
	free(s);
	s = print(&out_text, &v);
	ck_assert_str_eq(s, "probe (streamed)\n");
	free(s);
}
END_TEST

START_TEST(notes_are_text_only)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	out_json.note(f, "drained");
	out_text.note(f, "drained: yes");
	fclose(f);
	ck_assert_str_eq(buf, "drained: yes\n");
	free(buf);
}
END_TEST

START_TEST(write_error_is_reported)
{
	FILE *f = fopen("/dev/full", "w");
	json_t *j = json_pack("{s:s}", "k", "v");
	struct out_view v = { j, NULL, NULL, NULL };
	struct ck_err err;

	if (f == NULL)
		return;	/* no /dev/full here */
	ck_assert_int_eq(out_write(&out_json, &v, f, "report", &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "writing the report: "));
	fclose(f);
	json_decref(j);
}
END_TEST

/* The layout of topology.json: the top object and the arrays one member
 * per line, records on one line each; an empty array keeps its lines. */
START_TEST(stream_lines_and_flat)
{
	struct out_stream s;
	struct sbuf b;

	sbuf_init(&b);
	out_stream_init(&s, &b, NULL);
	out_open(&s, NULL, '{', 1);
	out_str(&s, "fabric", "f");
	out_open(&s, "pools", '{', 0);
	out_str(&s, "loopbacks", "10.0.0.0/24");
	out_null(&s, "servers6");
	out_close(&s);
	out_open(&s, "nodes", '[', 1);
	out_open(&s, NULL, '{', 0);
	out_uint(&s, "asn", 65000);
	out_open(&s, "path", '[', 0);
	out_close(&s);
	out_close(&s);
	out_open(&s, NULL, '{', 0);
	out_real(&s, "bps", 1e10);
	out_close(&s);
	out_close(&s);
	out_open(&s, "links", '[', 1);
	out_close(&s);
	out_close(&s);
	ck_assert_str_eq(b.s,
		"{\n"
		"  \"fabric\": \"f\",\n"
		"  \"pools\": {\"loopbacks\": \"10.0.0.0/24\", "
		"\"servers6\": null},\n"
		"  \"nodes\": [\n"
		"    {\"asn\": 65000, \"path\": []},\n"
		"    {\"bps\": 10000000000}\n"
		"  ],\n"
		"  \"links\": [\n"
		"  ]\n"
		"}\n");
	sbuf_free(&b);
}
END_TEST

/* Escapes as jansson writes them; the two must agree on every string. */
START_TEST(stream_escapes_like_jansson)
{
	static const char *const v[] = { "plain-name_0.1", "q\"b\\s/",
					  "\n\t\r\b\f\x01\x1f", "caf\xc3\xa9" };
	struct out_stream s;
	struct sbuf b;
	size_t i;

	sbuf_init(&b);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		json_t *j = json_string(v[i]);
		char *want = json_dumps(j, JSON_ENCODE_ANY);

		sbuf_reset(&b);
		out_stream_init(&s, &b, NULL);
		out_str(&s, NULL, v[i]);
		b.s[b.len - 1] = '\0';	/* the newline after a top value */
		ck_assert_str_eq(b.s, want);
		free(want);
		json_decref(j);
	}
	sbuf_free(&b);
}
END_TEST

/* JSON lines: each finished record goes to the file, the buffer is
 * emptied, and what is written parses back. */
START_TEST(stream_to_file)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct out_stream s;
	struct sbuf b;
	json_t *j;
	int i;

	sbuf_init(&b);
	out_stream_init(&s, &b, f);
	for (i = 0; i < 3; i++) {
		out_open(&s, NULL, '{', 0);
		out_uint(&s, "i", (unsigned)i);
		out_close(&s);
		ck_assert_uint_eq(b.len, 0);
	}
	fclose(f);
	ck_assert_str_eq(buf, "{\"i\": 0}\n{\"i\": 1}\n{\"i\": 2}\n");
	j = json_loads(buf, JSON_DISABLE_EOF_CHECK, NULL);
	ck_assert_ptr_nonnull(j);
	json_decref(j);
	free(buf);
	sbuf_free(&b);
}
END_TEST

static Suite *out_suite(void)
{
	Suite *s = suite_create("out");
	TCase *ops = tcase_create("ops");
	TCase *stream = tcase_create("stream");

	tcase_add_test(ops, format_follows_json_flag);
	tcase_add_test(ops, json_keeps_key_order);
	tcase_add_test(ops, text_renders_the_same_result);
	tcase_add_test(ops, streamed_result);
	tcase_add_test(ops, notes_are_text_only);
	tcase_add_test(ops, write_error_is_reported);
	tcase_add_test(stream, stream_lines_and_flat);
	tcase_add_test(stream, stream_escapes_like_jansson);
	tcase_add_test(stream, stream_to_file);
	suite_add_tcase(s, ops);
	suite_add_tcase(s, stream);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(out_suite());
	int nfail;

	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfail != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
