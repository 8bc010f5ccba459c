// SPDX-License-Identifier: GPL-2.0
/*
 * Self-check of the output helpers of nat64ctl (make check): JSON escaping
 * and nesting, table alignment.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "nat64ctl.h"

static int failed;

static void expect(const char *what, const char *got, const char *want)
{
	if (strcmp(got, want)) {
		fprintf(stderr, "FAIL %s:\n got: %s\nwant: %s\n", what, got, want);
		failed = 1;
	}
}

static void check_escape(const char *in, const char *want)
{
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		oom();
	json_escape(f, in);
	fclose(f);
	expect("json_escape", buf, want);
	free(buf);
}

static char *capture(struct out *o)
{
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		oom();
	out_print(o, f);
	fclose(f);
	return buf;
}

int main(void)
{
	static const char *const hdr[] = { "A", "LONG HEADER", "C", NULL };
	struct out o;
	char *s;

	check_escape("", "\"\"");
	check_escape("plain_name", "\"plain_name\"");
	check_escape("q\"b\\s/", "\"q\\\"b\\\\s/\"");
	check_escape("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"");
	check_escape("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
	check_escape("caf\xc3\xa9", "\"caf\xc3\xa9\"");

	out_init(&o, true, NULL, '[');
	s = capture(&o);
	expect("empty array", s, "[]\n");
	free(s);

	out_init(&o, true, NULL, '[');
	jw_begin(&o, NULL, '{');
	jw_str(&o, "proto", "tcp");
	jw_uint(&o, "port6", 65535);
	jw_bool(&o, "static", true);
	jw_str(&o, "state", NULL);
	jw_end(&o);
	jw_begin(&o, NULL, '{');
	jw_uint(&o, "big", 18446744073709551615ULL);
	jw_bool(&o, "static", false);
	jw_end(&o);
	s = capture(&o);
	expect("array", s, "[{\"proto\":\"tcp\",\"port6\":65535,\"static\":true,"
	       "\"state\":null},{\"big\":18446744073709551615,\"static\":false}]\n");
	free(s);

	out_init(&o, true, NULL, '{');
	jw_uint(&o, "drop_\"odd\"", 1);
	jw_uint(&o, "x", 0);
	s = capture(&o);
	expect("object", s, "{\"drop_\\\"odd\\\"\":1,\"x\":0}\n");
	free(s);

	out_init(&o, false, hdr, 0);
	s = capture(&o);
	expect("empty table", s, "A  LONG HEADER  C\n");
	free(s);

	out_init(&o, false, hdr, 0);
	tbl_row(&o, "tcp", "x", "last column");
	tbl_row(&o, "icmp", "a much longer cell", "z");
	s = capture(&o);
	expect("table", s,
	       "A     LONG HEADER         C\n"
	       "tcp   x                   last column\n"
	       "icmp  a much longer cell  z\n");
	free(s);

	puts(failed ? "out_selftest: FAILED" : "out_selftest: ok");
	return failed;
}
