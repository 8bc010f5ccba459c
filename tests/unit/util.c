// SPDX-License-Identifier: GPL-2.0
/* Helpers that need libc networking headers, apart from the kmod headers. */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

void txt6(const char *s, void *out16);
void txt4(const char *s, void *out4);
uint32_t test_rand(void);

void txt6(const char *s, void *out16)
{
	if (inet_pton(AF_INET6, s, out16) != 1) {
		fprintf(stderr, "bad IPv6 address in test: %s\n", s);
		abort();
	}
}

void txt4(const char *s, void *out4)
{
	if (inet_pton(AF_INET, s, out4) != 1) {
		fprintf(stderr, "bad IPv4 address in test: %s\n", s);
		abort();
	}
}

uint32_t test_rand(void)
{
	static uint32_t x = 2463534242u;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return x;
}
