/* SPDX-License-Identifier: GPL-2.0 */
/* Module-internal declarations: per-namespace instance, bindings, sessions. */
#ifndef _NAT64_H
#define _NAT64_H

#include <linux/jiffies.h>
#include <linux/rhashtable.h>
#include <linux/siphash.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <linux/nat64.h>
#include "xlat.h"

struct nat64_prefix {
	struct in6_addr addr;
	u8 len;				/* 0: a free slot */
	bool going;			/* being deleted: no new sessions */
};

/*
 * Slots [0, n) of which those with len 0 are free: a prefix keeps its slot
 * (sessions name it by slot) until it is deleted.
 */
struct nat64_prefixes {
	unsigned int n;
	struct rcu_head rcu;
	struct nat64_prefix p[NAT64_MAX_PREFIXES];
};

#define NAT64_MAX_POOL4	64

struct nat64_pool4 {
	unsigned int n;
	struct rcu_head rcu;
	struct nat64_pool4_entry e[NAT64_MAX_POOL4];
};

struct nat64_config {
	unsigned long udp_tmo;		/* jiffies */
	unsigned long tcp_est_tmo;
	unsigned long tcp_trans_tmo;
	unsigned long icmp_tmo;
	u32 max_sessions;
	bool wkp_global_only;
	bool drop_external_tcp;
	bool adf;			/* address-dependent filtering */
	u32 max_stored_syns;
	u32 max_sess_per_sub;		/* 0: no limit */
	u8 sub_plen;			/* changed under nn->lock, no sessions */
	u32 lowest_mtu6;		/* RFC 7915 4: fragments of DF=0 packets */
};

/* IPv6 side of a binding: the IPv6 host's transport address. */
struct nat64_bkey6 {
	struct in6_addr addr;
	__be16 port;
	u8 proto;
	u8 pad;
};

/* IPv4 side of a binding: the pool4 transport address. */
struct nat64_bkey4 {
	__be32 addr;
	__be16 port;
	u8 proto;
	u8 pad;
};

struct nat64_bib {
	struct rhash_head node6;
	struct rhash_head node4;
	struct nat64_bkey6 k6;
	struct nat64_bkey4 k4;
	struct hlist_head sess_list;	/* its sessions; RCU, under nn->lock */
	u32 sessions;			/* under nn->lock */
	bool is_static;
	bool dead;
	bool unpaired;			/* not on the subscriber's paired address */
	struct rcu_head rcu;
};

/*
 * Lookup key of a session from the IPv6 side: host -> prefix + server, the
 * prefix by its slot in nat64_prefixes, the server by its IPv4 address.
 */
struct nat64_skey6 {
	struct in6_addr src;
	__be32 dst4;
	__be16 sport;			/* ICMP: identifier */
	__be16 dport;			/* ICMP: 0 */
	u8 proto;
	u8 pidx;
	u8 pad[2];
};

/* Lookup key of a session from the IPv4 side: server -> pool4. */
struct nat64_skey4 {
	__be32 src;
	__be32 dst;
	__be16 sport;			/* ICMP: 0 */
	__be16 dport;			/* ICMP: identifier */
	u8 proto;
	u8 pad[3];
};

/*
 * A session: 72 bytes. Both keys are read from its fields (the server's
 * address and port are shared); its binding is the one of (pool_addr,
 * pool_port, proto), found in bib4 when a session goes. It has no rcu_head:
 * once unlinked it waits on nn->reap, chained through the half of bib_node
 * that RCU readers never follow, and GC frees it a grace period later.
 */
struct nat64_session {
	struct rhash_head node6;
	struct rhash_head node4;
	/* the first 24 bytes of nat64_skey6, in its order */
	struct in6_addr src6;		/* the IPv6 host */
	__be32 addr4;			/* the IPv4 server */
	__be16 port6;			/* host's port; ICMP: identifier */
	__be16 rport;			/* server's port; ICMP: 0 */
	__be32 pool_addr;
	__be16 pool_port;		/* ICMP: identifier */
	u8 proto;
	u8 pidx;			/* slot of the prefix in nat64_prefixes */
	u32 expires;			/* jiffies (low 32 bits); READ/WRITE_ONCE */
	u8 state;			/* TCP state; changed under nn->lock */
	bool dead;
	union {
		struct hlist_node bib_node;	/* in its binding's sess_list */
		struct {
			struct hlist_node *bib_next;	/* kept for RCU readers */
			struct nat64_session *reap_next; /* unlinked: nn->reap */
		};
	};
};

/* Sessions of one IPv6 subscriber (its address cut to cfg.sub_plen). */
struct nat64_sub {
	struct rhash_head node;
	struct in6_addr key;
	u32 sessions;			/* under nn->lock */
	struct rcu_head rcu;
};

/* Up to 4096 held SYNs (max-stored-syns) in 256 buckets: no long scan under the lock. */
#define NAT64_SYN_BUCKETS	256

/* An IPv4 SYN without binding, held for a simultaneous open. */
struct nat64_syn {
	struct list_head list;		/* nn->syns, oldest first */
	struct hlist_node node;		/* nn->syn_hash, by k */
	struct nat64_skey4 k;
	unsigned long expires;
	struct sk_buff *skb;
};

struct nat64_net {
	struct net *net;
	spinlock_t lock;		/* creation and removal of state */
	struct rhashtable sess6, sess4, bib6, bib4, subs;
	struct list_head syns;		/* oldest first, under lock */
	struct hlist_head syn_hash[NAT64_SYN_BUCKETS];	/* under lock */
	u32 syn_seed;
	unsigned int nsyns;
	atomic_t nsessions;
	atomic_t nbibs;
	struct nat64_prefixes __rcu *prefixes;
	struct nat64_pool4 __rcu *pool4;
	struct nat64_config cfg;
	struct nat64_stats __percpu *stats;
	siphash_key_t port_key;
	struct nat64_session *reap;	/* unlinked sessions, under lock */
	struct nat64_session *reaped;	/* GC only: freed once reap_gp is over */
	unsigned long reap_gp;		/* start_poll_synchronize_rcu() cookie */
	struct delayed_work gc_work;
	struct rhashtable_iter gc_iter;
	bool gc_walking;
	struct nf_hook_ops *hook_ops;	/* registered hooks, NULL before */
};

extern unsigned int nat64_net_id;

static inline struct nat64_net *nat64_pernet(struct net *net)
{
	return net_generic(net, nat64_net_id);
}

/* The first configured prefix (for flows opened from IPv4), or NULL. */
static inline const struct nat64_prefix *nat64_prefix_first(const struct nat64_prefixes *pf)
{
	unsigned int i;

	for (i = 0; pf && i < pf->n; i++)
		if (pf->p[i].len && !pf->p[i].going)
			return &pf->p[i];
	return NULL;
}

/* The live prefix @a is in, or NULL. */
static inline const struct nat64_prefix *nat64_prefix_of(const struct nat64_prefixes *pf,
						  const struct in6_addr *a)
{
	unsigned int i;

	for (i = 0; i < pf->n; i++)
		if (pf->p[i].len && !pf->p[i].going &&
		    nat64_prefix_match(&pf->p[i].addr, pf->p[i].len, a))
			return &pf->p[i];
	return NULL;
}

/* The IPv6 address of @s's server (prefix slot + IPv4); false: slot freed. */
static inline bool nat64_sess_remote6(const struct nat64_prefixes *pf,
				      const struct nat64_session *s, struct in6_addr *a)
{
	if (!pf || s->pidx >= pf->n || !pf->p[s->pidx].len)
		return false;
	nat64_addr_embed(&pf->p[s->pidx].addr, pf->p[s->pidx].len, s->addr4, a);
	return true;
}

/* session.c */
int nat64_session_init(void);
void nat64_session_exit(void);
int nat64_state_init(struct nat64_net *nn);
void nat64_state_exit(struct nat64_net *nn);
struct nat64_session *nat64_sess_lookup6(struct nat64_net *nn,
					 const struct nat64_skey6 *k);
struct nat64_session *nat64_sess_lookup4(struct nat64_net *nn,
					 const struct nat64_skey4 *k);
struct nat64_session *nat64_sess_create6(struct nat64_net *nn,
					 const struct nat64_skey6 *k, int *reason);
struct nat64_session *nat64_sess_create4(struct nat64_net *nn,
					 const struct nat64_skey4 *k, int *reason);
bool nat64_bib_held4(struct nat64_net *nn, const struct nat64_bkey4 *bk);
void nat64_sess_key4(const struct nat64_session *s, struct nat64_skey4 *k);
struct nat64_bib *nat64_sess_bib(struct nat64_net *nn, const struct nat64_session *s);
bool nat64_adf_allows(const struct nat64_bib *b, __be32 remote);
void nat64_sess_update(struct nat64_net *nn, struct nat64_session *s, bool from6,
		       u8 tcp_flags);
int nat64_bib_add_static(struct nat64_net *nn, const struct nat64_bkey6 *k6,
			 const struct nat64_bkey4 *k4, const char **msg);
int nat64_bib_del(struct nat64_net *nn, const struct nat64_bkey6 *k6);

bool nat64_sess_expire(struct nat64_net *nn, struct nat64_session *s);
void nat64_sess_remove(struct nat64_net *nn, struct nat64_session *s, u8 reason);
void nat64_bib_remove(struct nat64_net *nn, struct nat64_bib *b, u8 reason);
void nat64_bib_drop(struct nat64_net *nn, struct nat64_bib *b, u8 reason);
void nat64_reap(struct nat64_net *nn);

static inline bool nat64_sess_expired(const struct nat64_session *s)
{
	return time_after32((u32)jiffies, READ_ONCE(s->expires));
}

/* gc.c */
void nat64_gc_start(struct nat64_net *nn);
void nat64_gc_stop(struct nat64_net *nn);
/*
 * Removes every session for which @match is true (and the dynamic bindings
 * left without one); with @bibs_too every binding for which it is true,
 * static ones included, with all their sessions.
 */
void nat64_state_flush(struct nat64_net *nn,
		       bool (*match)(struct nat64_net *nn, struct nat64_session *s,
				     struct nat64_bib *b, const void *arg),
		       const void *arg, bool bibs_too, u8 reason);

/* sub.c: subscribers (sessions per IPv6 host prefix); under nn->lock */
int nat64_subs_init(struct nat64_net *nn);
void nat64_subs_exit(struct nat64_net *nn);
void nat64_sub_key(const struct nat64_net *nn, const struct in6_addr *a,
		   struct in6_addr *key);
struct nat64_sub *nat64_sub_find(struct nat64_net *nn, const struct in6_addr *a);
struct nat64_sub *nat64_sub_get(struct nat64_net *nn, const struct in6_addr *a,
				bool limit, int *reason);
void nat64_sub_put(struct nat64_net *nn, struct nat64_sub *sub);
bool nat64_sub_full(const struct nat64_net *nn, const struct nat64_sub *sub);
int nat64_sub_plen_set(struct nat64_net *nn, u8 plen);

/* instance.c */
int nat64_instance_hooks(struct nat64_net *nn);
extern struct pernet_operations nat64_net_ops;

/* out.c: translated packets out to the other family's receive path */
#define NAT64_NOT_OURS	(-1)	/* nat64_err4(): not an error about a session */
int nat64_out4(struct nat64_net *nn, struct sk_buff *skb, struct nat64_pkt6 *p,
	       const struct nat64_xl4 *x);
int nat64_out6(struct nat64_net *nn, struct sk_buff *skb, const struct nat64_pkt4 *p,
	       const struct nat64_xl6 *x);
int nat64_err6(struct nat64_net *nn, struct sk_buff *skb, const struct nat64_pkt6 *p,
	       const struct nat64_prefixes *pf, const struct nat64_prefix *pfx);
int nat64_err4(struct nat64_net *nn, struct sk_buff *skb, const struct nat64_pkt4 *p,
	       const struct nat64_pool4 *pool);

/* hooks.c */
int nat64_hooks_register(struct nat64_net *nn);
void nat64_hooks_unregister(struct nat64_net *nn);
/* IPv4 SYNs held for a simultaneous open (RFC 6146 3.5.2.2) */
void nat64_syn_match(struct nat64_net *nn, const struct nat64_skey4 *k);
void nat64_syn_expire(struct nat64_net *nn, bool all);

/* netlink.c */
int nat64_genl_init(void);
void nat64_genl_exit(void);
void nat64_event_bib(struct nat64_net *nn, const struct nat64_bib *b, u8 ev, u8 reason);
void nat64_event_session(struct nat64_net *nn, const struct nat64_session *s, u8 ev,
			 u8 reason);

#endif /* _NAT64_H */
