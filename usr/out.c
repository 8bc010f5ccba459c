// SPDX-License-Identifier: GPL-2.0
/*
 * nat64ctl: output helpers.
 *
 * Tables are collected row by row and printed aligned at the end: a header
 * line, then one line per row, columns separated by two spaces, the last
 * column not padded. JSON is written compactly into a memory buffer, so that
 * nothing reaches stdout when the request fails half way.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "nat64ctl.h"

void oom(void)
{
	fputs("nat64ctl: out of memory\n", stderr);
	exit(1);
}

void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size);
	if (!p)
		oom();
	return p;
}

char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		oom();
	return d;
}

/* Write s as a quoted JSON string (RFC 8259); UTF-8 passes through. */
void json_escape(FILE *f, const char *s)
{
	unsigned char c;

	fputc('"', f);
	for (; (c = *s); s++) {
		switch (c) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				fprintf(f, "\\u%04x", c);
			else
				fputc(c, f);
		}
	}
	fputc('"', f);
}

/*
 * Start an output: a table with the NULL-terminated header hdr, or with json
 * a top level JSON value opened with top ('[' or '{').
 */
void out_init(struct out *o, bool json, const char *const *hdr, char top)
{
	memset(o, 0, sizeof(*o));
	o->json = json;
	if (json) {
		o->f = open_memstream(&o->buf, &o->len);
		if (!o->f)
			oom();
		jw_begin(o, NULL, top);
		return;
	}
	o->hdr = hdr;
	while (hdr[o->ncols])
		o->ncols++;
}

static void tbl_print(struct out *o, FILE *f)
{
	size_t *w = calloc(o->ncols, sizeof(*w));
	size_t i, c, n;

	if (!w)
		oom();
	for (c = 0; c < o->ncols; c++)
		w[c] = strlen(o->hdr[c]);
	for (i = 0; i < o->ncells; i++) {
		n = strlen(o->cells[i]);
		if (n > w[i % o->ncols])
			w[i % o->ncols] = n;
	}
	for (i = 0; i < o->ncols + o->ncells; i++) {
		const char *s = i < o->ncols ? o->hdr[i] : o->cells[i - o->ncols];

		c = i % o->ncols;
		if (c == o->ncols - 1)
			fprintf(f, "%s\n", s);
		else
			fprintf(f, "%-*s  ", (int)w[c], s);
	}
	for (i = 0; i < o->ncells; i++)
		free(o->cells[i]);
	free(o->cells);
	free(w);
}

/* Print what was collected and release it. */
void out_print(struct out *o, FILE *f)
{
	if (!o->json) {
		tbl_print(o, f);
		return;
	}
	while (o->depth)
		jw_end(o);
	fputc('\n', o->f);
	if (fclose(o->f))
		oom();
	fwrite(o->buf, 1, o->len, f);
	free(o->buf);
}

/* Drop what was collected. */
void out_free(struct out *o)
{
	size_t i;

	if (o->json) {
		fclose(o->f);
		free(o->buf);
		return;
	}
	for (i = 0; i < o->ncells; i++)
		free(o->cells[i]);
	free(o->cells);
}

/* Comma and "key": before a value inside an object or array. */
static void jw_key(struct out *o, const char *key)
{
	if (o->depth) {
		if (!o->first[o->depth])
			fputc(',', o->f);
		o->first[o->depth] = false;
	}
	if (key) {
		json_escape(o->f, key);
		fputc(':', o->f);
	}
}

/* Open an object ('{') or array ('['); key is NULL inside arrays. */
void jw_begin(struct out *o, const char *key, char c)
{
	jw_key(o, key);
	fputc(c, o->f);
	o->depth++;
	o->first[o->depth] = true;
	o->close[o->depth] = c == '{' ? '}' : ']';
}

void jw_end(struct out *o)
{
	fputc(o->close[o->depth], o->f);
	o->depth--;
}

/* A string member; val NULL gives null. */
void jw_str(struct out *o, const char *key, const char *val)
{
	jw_key(o, key);
	if (val)
		json_escape(o->f, val);
	else
		fputs("null", o->f);
}

void jw_uint(struct out *o, const char *key, uint64_t v)
{
	jw_key(o, key);
	fprintf(o->f, "%" PRIu64, v);
}

void jw_bool(struct out *o, const char *key, bool v)
{
	jw_key(o, key);
	fputs(v ? "true" : "false", o->f);
}

/* Append a table row: exactly ncols strings. */
void tbl_row(struct out *o, ...)
{
	va_list ap;
	size_t c;

	if (o->ncells + o->ncols > o->cap) {
		o->cap = o->cap ? 2 * o->cap : 16 * o->ncols;
		o->cells = xrealloc(o->cells, o->cap * sizeof(*o->cells));
	}
	va_start(ap, o);
	for (c = 0; c < o->ncols; c++)
		o->cells[o->ncells++] = xstrdup(va_arg(ap, const char *));
	va_end(ap);
}
