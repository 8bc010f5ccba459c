// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the seed corpus of fuzz_xlat: the valid sample packets of the unit
 * tests (tests/unit/samples.h), each behind a mode byte (see fuzz_xlat.c),
 * plus a few packets on refused paths.
 *	gen_seeds DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include "../unit/samples.h"

static const char *dir;
static unsigned int count;

static void put(const char *kind, size_t idx, uint8_t mode, const uint8_t *b, size_t len)
{
	char path[4096];
	FILE *f;

	if (len + 1 > 4096)
		return;			/* above the fuzzer's -max_len */
	snprintf(path, sizeof(path), "%s/%s-%02zu-m%02x", dir, kind, idx, mode);
	f = fopen(path, "wb");
	if (!f || fwrite(&mode, 1, 1, f) != 1 || (len && fwrite(b, 1, len, f) != len) ||
	    fclose(f)) {
		perror(path);
		exit(1);
	}
	count++;
}

int main(int argc, char **argv)
{
	static const uint8_t modes6[] = { 0x00, 0x02, 0x04 };
	static const uint8_t modes4[] = { 0x01, 0x03, 0x05 };
	struct pkt s6[SAMPLES_MAX], s4[SAMPLES_MAX];
	uint8_t ext[64], *b;
	struct ref_ip6 h;
	size_t n6, n4, i, m, l, e;
	struct pkt t;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	dir = argv[1];
	n6 = samples6(s6);
	n4 = samples4(s4);
	for (i = 0; i < n6; i++)
		for (m = 0; m < sizeof(modes6); m++)
			put("v6", i, modes6[m], s6[i].b, s6[i].len);
	for (i = 0; i < n4; i++)
		for (m = 0; m < sizeof(modes4); m++)
			put("v4", i, modes4[m], s4[i].b, s4[i].len);

	/* zero UDP checksums */
	b = smp_dup(s6[0].b, s6[0].len);
	put16(b + 46, 0);
	put("v6-udp0", 0, 0x00, b, s6[0].len);
	free(b);
	b = smp_dup(s4[0].b, s4[0].len);
	put16(b + 26, 0);
	put("v4-udp0", 0, 0x01, b, s4[0].len);
	free(b);

	/* fragment header, routing header with segments left */
	smp_ip6(&h, 0, 0, 64);
	l = ref_udp(smp_l4, 1, 2, (const uint8_t *)"seed", 4);
	e = ref_fraghdr(ext, R_UDP, 0, 1, 7);
	t = smp_mk6("", &h, R_FRAG, ext, e, R_UDP, smp_l4, l, 0);
	put("v6-frag", 0, 0x00, t.b, t.len);
	free(t.b);
	e = ref_rthdr(ext, R_UDP, 1, 1);
	t = smp_mk6("", &h, R_ROUTING, ext, e, R_UDP, smp_l4, l, 0);
	put("v6-rh", 0, 0x00, t.b, t.len);
	free(t.b);

	/*
	 * ICMP errors quoting a packet of a flow: ICMPv6 from the IPv6 host about
	 * a packet server -> host; ICMPv4 from a router about pool4 -> server.
	 */
	{
		static const uint8_t err6[][3] = {	/* type, code, mode */
			{ 1, 4, 0x00 }, { 2, 0, 0x10 }, { 3, 0, 0x00 }, { 4, 0, 0x10 },
			{ 4, 1, 0x04 }, { 1, 1, 0x10 },
		};
		static const uint8_t err4[][3] = {
			{ 3, 3, 0x01 }, { 3, 4, 0x11 }, { 11, 0, 0x01 }, { 12, 0, 0x11 },
			{ 3, 2, 0x05 }, { 3, 13, 0x11 },
		};
		uint8_t q[1400], msg[1500], pl[64];
		struct ref_ip6 h6q, h6o;
		struct ref_ip4 h4q, h4o;
		size_t ql, ml;

		smp_payload(pl, sizeof(pl), 0x77);
		for (i = 0; i < sizeof(err6) / sizeof(err6[0]); i++) {
			smp_ip6(&h6q, 0, 0, 60);	/* quoted: server -> host */
			memcpy(h6q.src, s6[0].b + 24, 16);
			memcpy(h6q.dst, s6[0].b + 8, 16);
			l = i % 3 == 0 ? ref_udp(smp_l4, 53, 40000, pl, 20) :
			    i % 3 == 1 ? ref_tcp(smp_l4, 80, 40001, 1, 2, R_ACK, NULL, 0, pl, 30) :
			    ref_echo(smp_l4, 129, 0x4242, 1, pl, 16);
			ql = ref_build6(q, &h6q, i % 3 == 2 ? R_ICMP6 : i % 3 ? R_TCP : R_UDP, NULL,
					0, smp_l4, l, i % 3 == 2 ? R_ICMP6 : i % 3 ? R_TCP : R_UDP);
			msg[0] = err6[i][0];
			msg[1] = err6[i][1];
			put16(msg + 2, 0);
			put32(msg + 4, err6[i][0] == 2 ? 1400 : err6[i][0] == 4 ? 7 : 0);
			memcpy(msg + 8, q, ql);
			ml = 8 + ql;
			smp_ip6(&h6o, 0, 0, 64);	/* outer: host -> server */
			t = smp_mk6("", &h6o, R_ICMP6, NULL, 0, R_ICMP6, msg, ml, 0);
			put("v6-err", i, err6[i][2], t.b, t.len);
			free(t.b);
		}
		for (i = 0; i < sizeof(err4) / sizeof(err4[0]); i++) {
			smp_ip4(&h4q, 0, 9, 0x4000, 63);	/* quoted: pool4 -> server */
			memcpy(h4q.src, s4[0].b + 16, 4);
			memcpy(h4q.dst, s4[0].b + 12, 4);
			l = i % 3 == 0 ? ref_udp(smp_l4, 61001, 53, pl, 20) :
			    i % 3 == 1 ? ref_tcp(smp_l4, 61002, 80, 1, 2, R_ACK, NULL, 0, pl, 30) :
			    ref_echo(smp_l4, 8, 61003, 1, pl, 16);
			ql = ref_build4(q, &h4q, i % 3 == 2 ? R_ICMP4 : i % 3 ? R_TCP : R_UDP, NULL,
					0, smp_l4, l, 1);
			msg[0] = err4[i][0];
			msg[1] = err4[i][1];
			put16(msg + 2, 0);
			put32(msg + 4, err4[i][1] == 4 ? 1400 : err4[i][0] == 12 ? 9u << 24 : 0);
			memcpy(msg + 8, q, ql);
			ml = 8 + ql;
			smp_ip4(&h4o, 0, 5, 0, 64);		/* outer: router -> pool4 */
			h4o.src[3] = 1;
			t = smp_mk4("", &h4o, R_ICMP4, NULL, 0, msg, ml, 0);
			put("v4-err", i, err4[i][2], t.b, t.len);
			free(t.b);
		}
	}

	samples_free(s6, n6);
	samples_free(s4, n4);
	printf("gen_seeds: %u seeds in %s\n", count, dir);
	return 0;
}
