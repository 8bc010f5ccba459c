/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nat64ctl - configuration tool of the nat64 stateful NAT64 module.
 * Declarations shared by nat64ctl.c, nl.c and out.c.
 */
#ifndef NAT64CTL_H
#define NAT64CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#ifndef NAT64CTL_VERSION
#define NAT64CTL_VERSION "0.1"
#endif

/* nl.c: generic netlink plumbing */

/* Called for every reply message; tb is indexed by NAT64_A_*. */
typedef int (*row_cb_t)(struct nlattr **tb, void *arg);

extern const char *nl_netns;

struct nl_msg *nl_req(uint8_t cmd, bool dump);
void put(struct nl_msg *msg, int type, size_t len, const void *data);
void put_u8(struct nl_msg *msg, int type, uint8_t v);
void put_u16(struct nl_msg *msg, int type, uint16_t v);
void put_u32(struct nl_msg *msg, int type, uint32_t v);
int nl_run(struct nl_msg *msg, row_cb_t row, void *arg);

/* nat64ctl.c */
void __attribute__((noreturn, format(printf, 1, 2))) usage_err(const char *fmt, ...);

/* parse.c: command line arguments, syntax only */
bool parse_uint(const char *s, unsigned long max, unsigned long *v);
uint8_t proto_flag(const char *s);
uint8_t arg_proto(const char *s);
const char *proto_name(uint8_t proto, char *buf);
bool arg_addr_len(int af, const char *arg, void *addr, unsigned long *len);
void arg_taddr(int af, const char *arg, void *addr, uint16_t *port);
void arg_ports(const char *arg, uint16_t *min, uint16_t *max);

/* out.c: aligned tables and JSON, both buffered until out_print() */

struct out {
	bool json;
	/* JSON */
	FILE *f;
	char *buf;
	size_t len;
	int depth;
	char close[4];
	bool first[4];
	/* table */
	const char *const *hdr;
	size_t ncols, ncells, cap;
	char **cells;
};

void __attribute__((noreturn)) oom(void);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);

void json_escape(FILE *f, const char *s);
void out_init(struct out *o, bool json, const char *const *hdr, char top);
void out_print(struct out *o, FILE *f);
void jw_begin(struct out *o, const char *key, char c);
void jw_end(struct out *o);
void jw_str(struct out *o, const char *key, const char *val);
void jw_uint(struct out *o, const char *key, uint64_t v);
void jw_bool(struct out *o, const char *key, bool v);
void tbl_row(struct out *o, ...);

#endif /* NAT64CTL_H */
