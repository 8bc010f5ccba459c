// SPDX-License-Identifier: GPL-2.0
/*
 * nat64ctl: configuration files.
 *
 * "save" prints the configuration of the namespace as lines of nat64ctl's
 * own grammar: "flush", "config set", "prefix add", "pool4 add" (one line
 * per entry and protocol) and "bib add" for the static bindings.
 *
 * "-f FILE" applies such a file all or nothing: every line is parsed first
 * (through the same parsers as the command line, submit() collecting the
 * requests), then the configuration is saved in memory, then the lines are
 * applied in order. When the kernel refuses one, the saved configuration is
 * put back: flush, then its lines again.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "linux/nat64.h"
#include "nat64ctl.h"

/* Requests of -f, collected while the file is parsed. */
struct step {
	unsigned int line;
	struct nl_msg *msg;	/* NULL: flush */
	char *warn;		/* printed when applied */
};

static struct {
	bool on;
	struct step *v;
	size_t n;
} batch;

/* Lines of warnings, freed. */
static void print_warn(char *warn)
{
	char *l, *save;

	if (!warn)
		return;
	for (l = strtok_r(warn, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		fprintf(stderr, "nat64ctl: %swarning: %s\n", nl_errctx, l);
	free(warn);
}

/*
 * A request of a command that changes the configuration (consumed), and
 * what to warn about once it succeeded (allocated, or NULL). Sent now, or
 * kept for later while -f parses a file. Returns the exit status.
 */
int submit(struct nl_msg *msg, char *warn)
{
	if (batch.on) {
		batch.v = xrealloc(batch.v, (batch.n + 1) * sizeof(*batch.v));
		batch.v[batch.n++] = (struct step){ conf_line, msg, warn };
		return 0;
	}
	if (nl_run(msg, NULL, NULL)) {
		free(warn);
		return 1;
	}
	print_warn(warn);
	return 0;
}

/* The configuration of a namespace */

struct snap {
	struct prefix *pfx;
	size_t npfx;
	struct p4 {
		uint32_t addr;		/* __be32 */
		uint8_t len, proto;
		uint16_t min, max;
	} *pool;
	size_t npool;
	struct sbib {
		struct in6_addr a6;
		uint32_t a4;		/* __be32 */
		uint16_t p6, p4;
		uint8_t proto;
	} *bib;
	size_t nbib;
	uint32_t cfg[NR_CFG_SETTABLE];
	bool has_cfg[NR_CFG_SETTABLE];
};

static void *grow(void *v, size_t n, size_t size)
{
	return xrealloc(v, (n + 1) * size);
}

static int pfx_row(struct nlattr **tb, void *arg)
{
	struct snap *s = arg;

	if (!need(tb, NAT64_A_PREFIX6, NAT64_A_PREFIX6_LEN, 0))
		return NL_SKIP;
	s->pfx = grow(s->pfx, s->npfx, sizeof(*s->pfx));
	memcpy(&s->pfx[s->npfx].addr, nla_data(tb[NAT64_A_PREFIX6]), 16);
	s->pfx[s->npfx++].len = nla_get_u8(tb[NAT64_A_PREFIX6_LEN]);
	return NL_OK;
}

static int pool_row(struct nlattr **tb, void *arg)
{
	struct snap *s = arg;

	if (!need(tb, NAT64_A_PROTO, NAT64_A_ADDR4, NAT64_A_ADDR4_LEN,
		  NAT64_A_PORT_MIN, NAT64_A_PORT_MAX, 0))
		return NL_SKIP;
	s->pool = grow(s->pool, s->npool, sizeof(*s->pool));
	s->pool[s->npool++] = (struct p4){
		.addr = nla_get_u32(tb[NAT64_A_ADDR4]),
		.len = nla_get_u8(tb[NAT64_A_ADDR4_LEN]),
		.proto = nla_get_u8(tb[NAT64_A_PROTO]),
		.min = nla_get_u16(tb[NAT64_A_PORT_MIN]),
		.max = nla_get_u16(tb[NAT64_A_PORT_MAX]),
	};
	return NL_OK;
}

static int sbib_row(struct nlattr **tb, void *arg)
{
	struct snap *s = arg;
	struct sbib *b;

	if (!need(tb, NAT64_A_PROTO, NAT64_A_ADDR6, NAT64_A_PORT6, NAT64_A_ADDR4,
		  NAT64_A_PORT4, 0))
		return NL_SKIP;
	if (!tb[NAT64_A_STATIC])
		return NL_OK;
	s->bib = grow(s->bib, s->nbib, sizeof(*s->bib));
	b = &s->bib[s->nbib++];
	memcpy(&b->a6, nla_data(tb[NAT64_A_ADDR6]), 16);
	b->a4 = nla_get_u32(tb[NAT64_A_ADDR4]);
	b->p6 = nla_get_u16(tb[NAT64_A_PORT6]);
	b->p4 = nla_get_u16(tb[NAT64_A_PORT4]);
	b->proto = nla_get_u8(tb[NAT64_A_PROTO]);
	return NL_OK;
}

static int cfg_row(struct nlattr **tb, void *arg)
{
	struct snap *s = arg;
	int k;

	for (k = 0; k < NR_CFG_SETTABLE; k++) {
		s->has_cfg[k] = tb[cfg_keys[k].attr];
		if (s->has_cfg[k])
			s->cfg[k] = cfg_get(&cfg_keys[k], tb[cfg_keys[k].attr]);
	}
	return NL_OK;
}

static void snap_free(struct snap *s)
{
	free(s->pfx);
	free(s->pool);
	free(s->bib);
	memset(s, 0, sizeof(*s));
}

/* The prefixes of the namespace; 0 or -1 once the error is printed. */
int prefix_list(struct prefix **v, size_t *n)
{
	struct snap s = { 0 };

	if (nl_run(nl_req(NAT64_CMD_PREFIX_GET, true), pfx_row, &s)) {
		snap_free(&s);
		return -1;
	}
	*v = s.pfx;
	*n = s.npfx;
	return 0;
}

/* The static bindings: the kernel leaves out dynamic ones, however many. */
static struct nl_msg *static_bibs_req(void)
{
	struct nl_msg *msg = nl_req(NAT64_CMD_BIB_GET, true);

	if (nla_put_flag(msg, NAT64_A_STATIC) < 0)
		oom();
	return msg;
}

static int snap_take(struct snap *s)
{
	memset(s, 0, sizeof(*s));
	if (nl_run(nl_req(NAT64_CMD_PREFIX_GET, true), pfx_row, s) ||
	    nl_run(nl_req(NAT64_CMD_POOL4_GET, true), pool_row, s) ||
	    nl_run(static_bibs_req(), sbib_row, s) ||
	    nl_run(nl_req(NAT64_CMD_CONFIG_GET, false), cfg_row, s)) {
		snap_free(s);
		return -1;
	}
	return 0;
}

/* Remove every prefix, pool4 entry, binding and session. */
static int conf_flush(void)
{
	struct prefix *pfx;
	struct nl_msg *msg;
	size_t i, n;
	int err = 0;

	if (nl_run(nl_req(NAT64_CMD_POOL4_FLUSH, false), NULL, NULL) ||
	    prefix_list(&pfx, &n))
		return -1;
	for (i = 0; i < n && !err; i++) {
		msg = nl_req(NAT64_CMD_PREFIX_DEL, false);
		put(msg, NAT64_A_PREFIX6, sizeof(pfx[i].addr), &pfx[i].addr);
		put_u8(msg, NAT64_A_PREFIX6_LEN, pfx[i].len);
		err = nl_run(msg, NULL, NULL);
	}
	free(pfx);
	return err;
}

/* Put back a configuration taken by snap_take(); the number of failures. */
static int snap_apply(const struct snap *s)
{
	struct nl_msg *msg;
	size_t i;
	int k, fails = 0;

	if (conf_flush())
		fails++;
	msg = nl_req(NAT64_CMD_CONFIG_SET, false);
	for (k = 0; k < NR_CFG_SETTABLE; k++)
		if (s->has_cfg[k])
			cfg_put(msg, &cfg_keys[k], s->cfg[k]);
	fails += !!nl_run(msg, NULL, NULL);
	for (i = 0; i < s->npfx; i++) {
		msg = nl_req(NAT64_CMD_PREFIX_ADD, false);
		put(msg, NAT64_A_PREFIX6, sizeof(s->pfx[i].addr), &s->pfx[i].addr);
		put_u8(msg, NAT64_A_PREFIX6_LEN, s->pfx[i].len);
		fails += !!nl_run(msg, NULL, NULL);
	}
	for (i = 0; i < s->npool; i++) {
		const struct p4 *e = &s->pool[i];

		msg = nl_req(NAT64_CMD_POOL4_ADD, false);
		put(msg, NAT64_A_ADDR4, sizeof(e->addr), &e->addr);
		put_u8(msg, NAT64_A_ADDR4_LEN, e->len);
		put_u8(msg, NAT64_A_PROTOS, e->proto == IPPROTO_TCP ? NAT64_PROTO_F_TCP :
					    e->proto == IPPROTO_UDP ? NAT64_PROTO_F_UDP :
					    NAT64_PROTO_F_ICMP);
		put_u16(msg, NAT64_A_PORT_MIN, e->min);
		put_u16(msg, NAT64_A_PORT_MAX, e->max);
		/* it was accepted before: whether it needed force or not */
		if (nla_put_flag(msg, NAT64_A_FORCE) < 0)
			oom();
		fails += !!nl_run(msg, NULL, NULL);
	}
	for (i = 0; i < s->nbib; i++) {
		const struct sbib *b = &s->bib[i];

		msg = nl_req(NAT64_CMD_BIB_ADD, false);
		put_u8(msg, NAT64_A_PROTO, b->proto);
		put(msg, NAT64_A_ADDR6, sizeof(b->a6), &b->a6);
		put_u16(msg, NAT64_A_PORT6, b->p6);
		put(msg, NAT64_A_ADDR4, sizeof(b->a4), &b->a4);
		put_u16(msg, NAT64_A_PORT4, b->p4);
		fails += !!nl_run(msg, NULL, NULL);
	}
	return fails;
}

/* save */

/*
 * Whether the kernel would refuse pool4 entry e without force: TCP or UDP
 * ports overlapping net.ipv4.ip_local_port_range of the namespace, on an
 * address assigned to one of its interfaces (the kernel asks its local
 * routes; interface addresses are what makes them in practice).
 */
static bool needs_force(const struct p4 *e)
{
	uint32_t lo32 = ntohl(e->addr), hi32, a;
	struct ifaddrs *ifa, *i;
	unsigned int lo, hi;
	bool hit = false;
	FILE *f;

	if (e->proto == IPPROTO_ICMP || e->len > 32)
		return false;
	hi32 = e->len == 32 ? lo32 : lo32 | 0xffffffffu >> e->len;
	f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
	if (!f)
		return false;
	if (fscanf(f, "%u %u", &lo, &hi) != 2)
		lo = 1, hi = 0;
	fclose(f);
	if (e->max < lo || e->min > hi || getifaddrs(&ifa))
		return false;
	for (i = ifa; i && !hit; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET)
			continue;
		a = ntohl(((struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr);
		hit = a >= lo32 && a <= hi32;
	}
	freeifaddrs(ifa);
	return hit;
}

int do_save(int argc, char **argv)
{
	char a[INET6_ADDRSTRLEN], b[INET_ADDRSTRLEN], pn[4];
	bool first = true;
	struct snap s;
	size_t i;
	int k;

	no_more_args(argc, argv);
	if (snap_take(&s))
		return 1;
	printf("# nat64 configuration, written by nat64ctl %s save; apply with nat64ctl -f FILE\n",
	       NAT64CTL_VERSION);
	puts("flush");
	for (k = 0; k < NR_CFG_SETTABLE; k++) {
		if (!s.has_cfg[k])
			continue;
		printf("%s %s %lu", first ? "config set" : "", cfg_keys[k].name,
		       (unsigned long)s.cfg[k]);
		first = false;
	}
	if (!first)
		putchar('\n');
	for (i = 0; i < s.npfx; i++)
		printf("prefix add %s/%u\n", inet_ntop(AF_INET6, &s.pfx[i].addr, a, sizeof(a)),
		       s.pfx[i].len);
	for (i = 0; i < s.npool; i++) {
		const struct p4 *e = &s.pool[i];

		printf("pool4 add %s/%u %s ports %u-%u%s\n",
		       inet_ntop(AF_INET, &e->addr, b, sizeof(b)), e->len,
		       proto_name(e->proto, pn), e->min, e->max,
		       needs_force(e) ? " force" : "");
	}
	for (i = 0; i < s.nbib; i++) {
		const struct sbib *e = &s.bib[i];

		printf("bib add %s [%s]:%u %s:%u\n", proto_name(e->proto, pn),
		       inet_ntop(AF_INET6, &e->a6, a, sizeof(a)), e->p6,
		       inet_ntop(AF_INET, &e->a4, b, sizeof(b)), e->p4);
	}
	snap_free(&s);
	return 0;
}

/* -f */

/* Split line into words (argv, grown as needed); '#' starts a comment. */
static int split(char *line, char ***argv, size_t *cap)
{
	static const char sep[] = " \t\r\n\v\f";
	char *w, *save;
	int n = 0;

	w = strchr(line, '#');
	if (w)
		*w = '\0';
	for (w = strtok_r(line, sep, &save); w; w = strtok_r(NULL, sep, &save)) {
		if ((size_t)n + 1 >= *cap) {
			*cap = *cap ? 2 * *cap : 16;
			*argv = xrealloc(*argv, *cap * sizeof(**argv));
		}
		(*argv)[n++] = w;
	}
	return n;
}

/* Parse every line of f into batch; syntax errors exit with status 2. */
static int conf_parse(FILE *f, const char *name)
{
	char *line = NULL, **argv = NULL;
	size_t size = 0, cap = 0;
	int argc, err = 0;
	ssize_t n;

	batch.on = true;
	conf_file = name;
	conf_line = 0;
	while ((n = getline(&line, &size, f)) >= 0) {
		conf_line++;
		if (strlen(line) != (size_t)n)
			usage_err("NUL character in line");
		argc = split(line, &argv, &cap);
		if (!argc)
			continue;
		if (!strcmp(argv[0], "flush")) {
			no_more_args(argc - 1, argv + 1);
			batch.v = xrealloc(batch.v, (batch.n + 1) * sizeof(*batch.v));
			batch.v[batch.n++] = (struct step){ conf_line, NULL, NULL };
			continue;
		}
		dispatch(argc, argv, true);
	}
	if (ferror(f)) {
		fprintf(stderr, "nat64ctl: %s: %s\n", name, strerror(errno));
		err = -1;
	}
	conf_file = NULL;
	batch.on = false;
	free(argv);
	free(line);
	return err;
}

int conf_apply(const char *file)
{
	bool is_stdin = !strcmp(file, "-");
	FILE *f = is_stdin ? stdin : fopen(file, "r");
	char ctx[4096];
	size_t i;
	bool changed = false;
	struct snap old;
	int err = 0;

	if (!f) {
		fprintf(stderr, "nat64ctl: %s: %s\n", file, strerror(errno));
		return 1;
	}
	err = conf_parse(f, file);
	if (!is_stdin)
		fclose(f);
	if (err)
		return 1;
	if (!batch.n)
		return 0;
	if (snap_take(&old)) {
		fprintf(stderr, "nat64ctl: %s: cannot save the current configuration, nothing changed\n",
			file);
		return 1;
	}
	for (i = 0; i < batch.n && !err; i++) {
		struct step *st = &batch.v[i];

		snprintf(ctx, sizeof(ctx), "%s:%u: ", file, st->line);
		nl_errctx = ctx;
		err = st->msg ? nl_run(st->msg, NULL, NULL) : conf_flush();
		/* a flush is several requests: it may fail half way */
		changed |= !err || !st->msg;
		st->msg = NULL;
		if (err) {
			free(st->warn);
			break;
		}
		print_warn(st->warn);
	}
	for (; i < batch.n; i++) {
		nlmsg_free(batch.v[i].msg);
		free(batch.v[i].warn);
	}
	free(batch.v);
	nl_errctx = "";
	/* every other request is all or nothing: when the first fails, nothing changed */
	if (err && changed) {
		snprintf(ctx, sizeof(ctx), "%s: restoring the previous configuration: ", file);
		nl_errctx = ctx;
		if (snap_apply(&old))
			fprintf(stderr, "nat64ctl: %s: the previous configuration could not be entirely restored\n",
				file);
		else
			fprintf(stderr, "nat64ctl: %s: the previous configuration was restored (sessions were flushed)\n",
				file);
		nl_errctx = "";
	}
	snap_free(&old);
	return err ? 1 : 0;
}
