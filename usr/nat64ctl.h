/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nat64ctl - configuration tool of the nat64 stateful NAT64 module.
 * Declarations shared by its files: nat64ctl.c (main, prefix, pool4, stats,
 * config), state.c (bib, session), monitor.c, conf.c (save, -f), dns64.c,
 * nl.c (netlink), out.c (tables, JSON), parse.c (arguments).
 */
#ifndef NAT64CTL_H
#define NAT64CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <netinet/in.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct out;

#ifndef NAT64CTL_VERSION
#define NAT64CTL_VERSION "0.1"
#endif

/* nl.c: generic netlink plumbing */

/* Called for every reply message; tb is indexed by NAT64_A_*. */
typedef int (*row_cb_t)(struct nlattr **tb, void *arg);

extern const char *nl_netns;
extern const char *nl_errctx;	/* before kernel messages: "FILE:LINE: " */

struct nl_msg *nl_req(uint8_t cmd, bool dump);
void put(struct nl_msg *msg, int type, size_t len, const void *data);
void put_u8(struct nl_msg *msg, int type, uint8_t v);
void put_u16(struct nl_msg *msg, int type, uint16_t v);
void put_u32(struct nl_msg *msg, int type, uint32_t v);
int nl_run(struct nl_msg *msg, row_cb_t row, void *arg);
int nl_listen(const char *group, row_cb_t row, void *arg);

/* nat64ctl.c */
extern bool json;
extern unsigned long count;	/* monitor -c, 0: unlimited */
extern const char *conf_file;	/* set while -f parses: errors name FILE:LINE */
extern unsigned int conf_line;
void __attribute__((noreturn, format(printf, 1, 2))) usage_err(const char *fmt, ...);
void no_more_args(int argc, char **argv);
const void *lookup(const char *arg, const void *tbl, size_t size, const char *what);
int dispatch(int argc, char **argv, bool conf_only);
bool need(struct nlattr **tb, ...);
const char *ntop6(const struct nlattr *a, char *buf);
const char *ntop4(const struct nlattr *a, char *buf);
int show(uint8_t cmd, bool dump, struct nl_msg *msg, row_cb_t row,
	 const char *const *hdr, char top);

struct cfg_key {
	const char *name;	/* "config set" key and table key */
	const char *json;
	int attr;
	int size;		/* of the attribute: 4 (u32) or 1 (u8) */
	unsigned long rfc_min;	/* RFC 6146/5382 minimum, warned about */
};
extern const struct cfg_key cfg_keys[];
#define NR_CFG_SETTABLE 12	/* the first ones; then read-only counts */
const char *attr_key(int type);
uint32_t cfg_get(const struct cfg_key *k, struct nlattr *a);
void cfg_put(struct nl_msg *msg, const struct cfg_key *k, uint32_t v);

/* state.c: bib and session commands; one binding or session for monitor */
int do_bib(int argc, char **argv, int cmd);
int do_session(int argc, char **argv, int cmd);
bool bib_fmt(struct nlattr **tb, struct out *o, char *buf, size_t size);
bool session_fmt(struct nlattr **tb, struct out *o, char *buf, size_t size);

/* monitor.c, dns64.c */
int do_monitor(int argc, char **argv);
int do_dns64(int argc, char **argv);

/* conf.c: configuration files */
struct prefix {
	struct in6_addr addr;
	uint8_t len;
};
int prefix_list(struct prefix **v, size_t *n);
int submit(struct nl_msg *msg, char *warn);
int do_save(int argc, char **argv);
int conf_apply(const char *file);

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
void out_free(struct out *o);
void jw_begin(struct out *o, const char *key, char c);
void jw_end(struct out *o);
void jw_str(struct out *o, const char *key, const char *val);
void jw_uint(struct out *o, const char *key, uint64_t v);
void jw_bool(struct out *o, const char *key, bool v);
void tbl_row(struct out *o, ...);

#endif /* NAT64CTL_H */
