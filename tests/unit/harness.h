/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal test harness: one line per case, "ok - name" or
 * "FAIL - name: detail" (first failed check, file:line, plus how many more
 * checks failed), then "# <binary>: N passed, N failed" and "# done".
 * run.sh sums the lines of all binaries.
 *
 * Usage:
 *	begin_case("6to4 udp %d", n);
 *	CHECK_EQ(rc, 0);
 *	end_case();
 *	...
 *	return h_finish("test_xlat");
 */
#ifndef NAT64_TEST_HARNESS_H
#define NAT64_TEST_HARNESS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char h_name[256];
static char h_detail[768];
static int h_nfail_checks;	/* failed checks in the current case */
static int h_in_case;
static int h_passed, h_failed;

__attribute__((format(printf, 1, 2), unused))
static void begin_case(const char *fmt, ...)
{
	va_list ap;

	if (h_in_case) {
		fprintf(stderr, "harness: begin_case without end_case\n");
		abort();
	}
	va_start(ap, fmt);
	vsnprintf(h_name, sizeof(h_name), fmt, ap);
	va_end(ap);
	h_detail[0] = 0;
	h_nfail_checks = 0;
	h_in_case = 1;
}

__attribute__((format(printf, 3, 4), unused))
static void h_failf(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (h_nfail_checks++)
		return;		/* keep the first failure's detail */
	n = snprintf(h_detail, sizeof(h_detail), "%s:%d: ", file, line);
	if (n < 0 || (size_t)n >= sizeof(h_detail))
		return;
	va_start(ap, fmt);
	vsnprintf(h_detail + n, sizeof(h_detail) - n, fmt, ap);
	va_end(ap);
}

/* Returns 1 when the current case has failed so far. */
static inline int case_failed(void)
{
	return h_nfail_checks != 0;
}

__attribute__((unused))
static void end_case(void)
{
	if (!h_in_case) {
		fprintf(stderr, "harness: end_case without begin_case\n");
		abort();
	}
	h_in_case = 0;
	if (!h_nfail_checks) {
		h_passed++;
		printf("ok - %s\n", h_name);
	} else {
		h_failed++;
		if (h_nfail_checks > 1)
			printf("FAIL - %s: %s (+%d more failed checks)\n", h_name, h_detail,
			       h_nfail_checks - 1);
		else
			printf("FAIL - %s: %s\n", h_name, h_detail);
	}
	fflush(stdout);
}

__attribute__((unused))
static int h_finish(const char *prog)
{
	if (h_in_case)
		end_case();
	printf("# %s: %d passed, %d failed\n# done\n", prog, h_passed, h_failed);
	fflush(stdout);
	return h_failed ? 1 : 0;
}

#define CHECK(cond, ...)						\
	do {								\
		if (!(cond))						\
			h_failf(__FILE__, __LINE__, __VA_ARGS__);	\
	} while (0)

#define CHECK_TRUE(cond)	CHECK(cond, "expected %s", #cond)

#define CHECK_EQ(a, b)							\
	do {								\
		unsigned long long _a = (unsigned long long)(a);	\
		unsigned long long _b = (unsigned long long)(b);	\
		if (_a != _b)						\
			h_failf(__FILE__, __LINE__,			\
				"%s = %llu (%#llx), expected %s = %llu (%#llx)", \
				#a, _a, _a, #b, _b, _b);		\
	} while (0)

/* Compare @n bytes; the detail shows the first differing offset. */
#define CHECK_MEM(a, b, n)						\
	do {								\
		const uint8_t *_x = (const uint8_t *)(a);		\
		const uint8_t *_y = (const uint8_t *)(b);		\
		size_t _n = (n), _i;					\
		for (_i = 0; _i < _n; _i++)				\
			if (_x[_i] != _y[_i])				\
				break;					\
		if (_i < _n)						\
			h_failf(__FILE__, __LINE__,			\
				"%s != %s at byte %zu of %zu: %02x, expected %02x", \
				#a, #b, _i, _n, _x[_i], _y[_i]);	\
	} while (0)

/* Text to binary addresses (util.c, kept apart from the kernel-style headers). */
void txt6(const char *s, void *out16);
void txt4(const char *s, void *out4);
uint32_t test_rand(void);	/* deterministic xorshift */

#endif /* NAT64_TEST_HARNESS_H */
