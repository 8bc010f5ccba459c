// SPDX-License-Identifier: GPL-2.0
/*
 * Bindings (BIB) and sessions (RFC 6146 section 3). Four RCU hash tables per
 * namespace: sessions by their IPv6 and by their IPv4 5-tuple, bindings by
 * their IPv6 and by their IPv4 transport address. Lookups take no lock;
 * creation and removal happen under nn->lock, which also settles races
 * between CPUs creating the same flow. A session past its lifetime is gone
 * for packets at once (a lookup that finds it removes it); gc.c reclaims
 * those no packet meets. Removed sessions are freed in batches after a
 * grace period (nat64_reap()).
 */

#include <linux/jhash.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include "nat64.h"

static struct kmem_cache *nat64_sess_cache __read_mostly;
static struct kmem_cache *nat64_bib_cache __read_mostly;

/*
 * Session keys are not stored as such: the hash and compare functions read
 * them from the session's fields. A lookup key and the session it finds
 * must hash alike.
 */
#define NAT64_K6_WORDS	6	/* src6, addr4, port6 + rport */

static u32 nat64_k6_hash(const void *data, u32 len, u32 seed)
{
	const struct nat64_skey6 *k = data;

	return jhash2((const u32 *)k, NAT64_K6_WORDS, seed ^ (k->proto | k->pidx << 8));
}

static u32 nat64_s6_hash(const void *data, u32 len, u32 seed)
{
	const struct nat64_session *s = data;

	return jhash2((const u32 *)&s->src6, NAT64_K6_WORDS, seed ^ (s->proto | s->pidx << 8));
}

static int nat64_s6_cmp(struct rhashtable_compare_arg *arg, const void *obj)
{
	const struct nat64_skey6 *k = arg->key;
	const struct nat64_session *s = obj;

	return memcmp(k, &s->src6, NAT64_K6_WORDS * 4) || k->proto != s->proto ||
	       k->pidx != s->pidx;
}

static u32 nat64_k4_hash(const void *data, u32 len, u32 seed)
{
	const struct nat64_skey4 *k = data;

	return jhash_3words((__force u32)k->src, (__force u32)k->dst,
			    (__force u32)k->sport << 16 | (__force u32)k->dport, seed ^ k->proto);
}

static u32 nat64_s4_hash(const void *data, u32 len, u32 seed)
{
	const struct nat64_session *s = data;

	return jhash_3words((__force u32)s->addr4, (__force u32)s->pool_addr,
			    (__force u32)s->rport << 16 | (__force u32)s->pool_port,
			    seed ^ s->proto);
}

static int nat64_s4_cmp(struct rhashtable_compare_arg *arg, const void *obj)
{
	const struct nat64_skey4 *k = arg->key;
	const struct nat64_session *s = obj;

	return k->src != s->addr4 || k->dst != s->pool_addr || k->sport != s->rport ||
	       k->dport != s->pool_port || k->proto != s->proto;
}

static const struct rhashtable_params nat64_sess6_params = {
	.key_len = sizeof(struct nat64_skey6),
	.head_offset = offsetof(struct nat64_session, node6),
	.hashfn = nat64_k6_hash,
	.obj_hashfn = nat64_s6_hash,
	.obj_cmpfn = nat64_s6_cmp,
	.automatic_shrinking = true,
};

static const struct rhashtable_params nat64_sess4_params = {
	.key_len = sizeof(struct nat64_skey4),
	.head_offset = offsetof(struct nat64_session, node4),
	.hashfn = nat64_k4_hash,
	.obj_hashfn = nat64_s4_hash,
	.obj_cmpfn = nat64_s4_cmp,
	.automatic_shrinking = true,
};

static const struct rhashtable_params nat64_bib6_params = {
	.key_len = sizeof(struct nat64_bkey6),
	.key_offset = offsetof(struct nat64_bib, k6),
	.head_offset = offsetof(struct nat64_bib, node6),
	.automatic_shrinking = true,
};

static const struct rhashtable_params nat64_bib4_params = {
	.key_len = sizeof(struct nat64_bkey4),
	.key_offset = offsetof(struct nat64_bib, k4),
	.head_offset = offsetof(struct nat64_bib, node4),
	.automatic_shrinking = true,
};

/* Remove @s if it is past its lifetime; true if it is gone. Under nn->lock. */
static bool nat64_sess_expire_locked(struct nat64_net *nn, struct nat64_session *s)
{
	if (s->dead)
		return true;
	if (!nat64_sess_expired(s))
		return false;
	nat64_sess_remove(nn, s, NAT64_RSN_EXPIRED);
	nat64_stat_inc(nn, SESSION_EXPIRED);
	return true;
}

/* The same, taking the lock: for RCU readers (lookups, GC). */
bool nat64_sess_expire(struct nat64_net *nn, struct nat64_session *s)
{
	bool gone;

	spin_lock_bh(&nn->lock);
	gone = nat64_sess_expire_locked(nn, s);
	spin_unlock_bh(&nn->lock);
	return gone;
}

/* RCU read side; a session found past its lifetime is removed, not returned. */
struct nat64_session *nat64_sess_lookup6(struct nat64_net *nn,
					 const struct nat64_skey6 *k)
{
	struct nat64_session *s = rhashtable_lookup(&nn->sess6, k, nat64_sess6_params);

	if (unlikely(s && nat64_sess_expired(s)) && nat64_sess_expire(nn, s))
		return NULL;
	return s;
}

struct nat64_session *nat64_sess_lookup4(struct nat64_net *nn,
					 const struct nat64_skey4 *k)
{
	struct nat64_session *s = rhashtable_lookup(&nn->sess4, k, nat64_sess4_params);

	if (unlikely(s && nat64_sess_expired(s)) && nat64_sess_expire(nn, s))
		return NULL;
	return s;
}

void nat64_sess_key4(const struct nat64_session *s, struct nat64_skey4 *k)
{
	*k = (struct nat64_skey4){
		.src = s->addr4, .dst = s->pool_addr,
		.sport = s->rport, .dport = s->pool_port, .proto = s->proto,
	};
}

/* The binding of @s: under nn->lock or RCU. */
struct nat64_bib *nat64_sess_bib(struct nat64_net *nn, const struct nat64_session *s)
{
	struct nat64_bkey4 k = {
		.addr = s->pool_addr, .port = s->pool_port, .proto = s->proto,
	};

	return rhashtable_lookup_fast(&nn->bib4, &k, nat64_bib4_params);
}

/*
 * @s is out of both tables and its binding's list, but RCU readers may still
 * hold it: queue it for GC, which frees it after a grace period (no rcu_head
 * per session, no callback per session). Under nn->lock.
 */
static void nat64_sess_reap(struct nat64_net *nn, struct nat64_session *s)
{
	s->reap_next = nn->reap;
	WRITE_ONCE(nn->reap, s);
}

static void nat64_sess_free_list(struct nat64_session *s)
{
	struct nat64_session *next;
	unsigned int n = 0;

	for (; s; s = next) {
		next = s->reap_next;
		kmem_cache_free(nat64_sess_cache, s);
		if (!(++n % 1024))
			cond_resched();
	}
}

/*
 * GC only: free what was queued before the grace period it started last
 * time, once that is over, and start one for what was queued since.
 */
void nat64_reap(struct nat64_net *nn)
{
	if (nn->reaped) {
		if (!poll_state_synchronize_rcu(nn->reap_gp))
			return;
		nat64_sess_free_list(nn->reaped);
		nn->reaped = NULL;
	}
	if (!READ_ONCE(nn->reap))
		return;
	spin_lock_bh(&nn->lock);
	nn->reaped = nn->reap;
	WRITE_ONCE(nn->reap, NULL);
	spin_unlock_bh(&nn->lock);
	nn->reap_gp = start_poll_synchronize_rcu();
}

static void nat64_bib_free_rcu(struct rcu_head *h)
{
	kmem_cache_free(nat64_bib_cache, container_of(h, struct nat64_bib, rcu));
}

/* Under nn->lock. */
void nat64_bib_remove(struct nat64_net *nn, struct nat64_bib *b, u8 reason)
{
	if (b->dead)
		return;
	b->dead = true;
	nat64_event_bib(nn, b, NAT64_EV_BIB_DEL, reason);
	rhashtable_remove_fast(&nn->bib6, &b->node6, nat64_bib6_params);
	rhashtable_remove_fast(&nn->bib4, &b->node4, nat64_bib4_params);
	atomic_dec(&nn->nbibs);
	call_rcu(&b->rcu, nat64_bib_free_rcu);
}

/* Under nn->lock. */
void nat64_sess_remove(struct nat64_net *nn, struct nat64_session *s, u8 reason)
{
	struct nat64_bib *b;

	if (s->dead)
		return;
	b = nat64_sess_bib(nn, s);
	if (WARN_ON_ONCE(!b))
		return;
	s->dead = true;
	nat64_event_session(nn, s, NAT64_EV_SESSION_DEL, reason);
	rhashtable_remove_fast(&nn->sess6, &s->node6, nat64_sess6_params);
	rhashtable_remove_fast(&nn->sess4, &s->node4, nat64_sess4_params);
	hlist_del_rcu(&s->bib_node);
	atomic_dec(&nn->nsessions);
	nat64_sub_put(nn, nat64_sub_find(nn, &s->src6));
	/* a dynamic binding goes with its last session, for the same reason */
	if (!--b->sessions && !b->is_static)
		nat64_bib_remove(nn, b, reason == NAT64_RSN_EXPIRED ?
				 NAT64_RSN_LAST_SESSION : reason);
	nat64_sess_reap(nn, s);
}

/* Insert @b in both binding tables; under nn->lock. */
static int nat64_bib_insert(struct nat64_net *nn, struct nat64_bib *b)
{
	int err;

	err = rhashtable_lookup_insert_fast(&nn->bib4, &b->node4, nat64_bib4_params);
	if (err)
		return err;
	err = rhashtable_lookup_insert_fast(&nn->bib6, &b->node6, nat64_bib6_params);
	if (err) {
		rhashtable_remove_fast(&nn->bib4, &b->node4, nat64_bib4_params);
		return err;
	}
	atomic_inc(&nn->nbibs);
	nat64_event_bib(nn, b, NAT64_EV_BIB_ADD, NAT64_RSN_NONE);
	return 0;
}

/*
 * A new dynamic binding for @k6, under nn->lock: on its subscriber's pool4
 * address (paired pooling), a port chosen by a keyed hash of the flow;
 * elsewhere in the pool only when that address's ports near it are taken.
 */
static struct nat64_bib *nat64_bib_create(struct nat64_net *nn,
					  const struct nat64_bkey6 *k6, int *reason)
{
	const struct nat64_pool4 *pool = rcu_dereference(nn->pool4);
	struct nat64_bkey4 k4 = { .proto = k6->proto };
	u16 sport = ntohs(k6->port), port;
	struct in6_addr sub;
	struct nat64_bib *b;
	__be32 paired;
	u64 hash;
	u32 i;
	bool ok;

	if (!pool) {
		*reason = NAT64_STAT_DROP_NO_POOL4;
		return NULL;
	}
	nat64_sub_key(nn, &k6->addr, &sub);
	if (!nat64_pool4_paired_addr(pool->e, pool->n, k6->proto,
				     siphash(&sub, sizeof(sub), &nn->port_key), &paired)) {
		*reason = NAT64_STAT_DROP_NO_POOL4;
		return NULL;
	}
	hash = siphash(k6, sizeof(*k6), &nn->port_key);
	for (i = 0; ; i++) {
		if (i == NAT64_PORT_PROBES) {
			*reason = NAT64_STAT_DROP_POOL4_EXHAUSTED;
			return NULL;
		}
		if (i < NAT64_PAIRED_PROBES) {
			k4.addr = paired;
			ok = nat64_port_pick_on(pool->e, pool->n, k6->proto, paired, sport,
						hash, i, &port);
		} else {
			/* attempts go on: a pool of one address is not probed twice */
			ok = nat64_port_pick(pool->e, pool->n, k6->proto, sport, hash, i,
					     &k4.addr, &port);
		}
		if (!ok) {
			*reason = NAT64_STAT_DROP_NO_POOL4;
			return NULL;
		}
		k4.port = htons(port);
		if (!rhashtable_lookup_fast(&nn->bib4, &k4, nat64_bib4_params))
			break;
	}
	b = kmem_cache_zalloc(nat64_bib_cache, GFP_ATOMIC);
	if (!b) {
		*reason = NAT64_STAT_DROP_NOMEM;
		return NULL;
	}
	b->k6 = *k6;
	b->k4 = k4;
	b->unpaired = k4.addr != paired;
	if (nat64_bib_insert(nn, b)) {
		kmem_cache_free(nat64_bib_cache, b);
		*reason = NAT64_STAT_DROP_NOMEM;
		return NULL;
	}
	nat64_stat_inc(nn, BIB_CREATED);
	if (b->unpaired)
		nat64_stat_inc(nn, BIB_UNPAIRED);
	return b;
}

static unsigned long nat64_initial_tmo(struct nat64_net *nn, u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return READ_ONCE(nn->cfg.tcp_trans_tmo);
	case IPPROTO_UDP:
		return READ_ONCE(nn->cfg.udp_tmo);
	default:
		return READ_ONCE(nn->cfg.icmp_tmo);
	}
}

/*
 * Link a new session of @b into both tables; under nn->lock. @from6: opened
 * by the IPv6 host, which the per-subscriber limit refuses.
 */
static struct nat64_session *nat64_sess_insert(struct nat64_net *nn,
					       struct nat64_session *s,
					       struct nat64_bib *b, bool from6,
					       int *reason)
{
	struct nat64_skey6 k6 = {
		.src = s->src6, .dst4 = s->addr4, .sport = s->port6, .dport = s->rport,
		.proto = s->proto, .pidx = s->pidx,
	};
	struct nat64_skey4 k4;
	struct nat64_sub *sub;
	int err;

	nat64_sess_key4(s, &k4);
	sub = nat64_sub_get(nn, &s->src6, from6, reason);
	if (!sub) {
		kmem_cache_free(nat64_sess_cache, s);
		return NULL;
	}
	sub->sessions++;
	s->expires = (u32)jiffies + nat64_initial_tmo(nn, s->proto);
	err = rhashtable_lookup_insert_key(&nn->sess4, &k4, &s->node4, nat64_sess4_params);
	if (err) {
		*reason = err == -EEXIST ? NAT64_STAT_DROP_SESSION_CONFLICT :
					   NAT64_STAT_DROP_NOMEM;
		kmem_cache_free(nat64_sess_cache, s);
		nat64_sub_put(nn, sub);
		return NULL;
	}
	err = rhashtable_lookup_insert_key(&nn->sess6, &k6, &s->node6, nat64_sess6_params);
	if (err) {
		*reason = err == -EEXIST ? NAT64_STAT_DROP_SESSION_CONFLICT :
					   NAT64_STAT_DROP_NOMEM;
		rhashtable_remove_fast(&nn->sess4, &s->node4, nat64_sess4_params);
		s->dead = true;		/* a reader may have found it in sess4 */
		nat64_sess_reap(nn, s);
		nat64_sub_put(nn, sub);
		return NULL;
	}
	hlist_add_head_rcu(&s->bib_node, &b->sess_list);
	b->sessions++;
	atomic_inc(&nn->nsessions);
	nat64_stat_inc(nn, SESSION_CREATED);
	nat64_event_session(nn, s, NAT64_EV_SESSION_ADD, NAT64_RSN_NONE);
	return s;
}

static bool nat64_full(struct nat64_net *nn, int *reason)
{
	if (atomic_read(&nn->nsessions) < READ_ONCE(nn->cfg.max_sessions))
		return false;
	*reason = NAT64_STAT_DROP_MAX_SESSIONS;
	return true;
}

/* First packet of a flow from the IPv6 side. */
struct nat64_session *nat64_sess_create6(struct nat64_net *nn,
					 const struct nat64_skey6 *k, int *reason)
{
	struct nat64_bkey6 bk = { .addr = k->src, .port = k->sport, .proto = k->proto };
	struct nat64_session *s;
	struct nat64_skey4 k4;
	struct nat64_bib *b;

	spin_lock_bh(&nn->lock);
	s = rhashtable_lookup_fast(&nn->sess6, k, nat64_sess6_params);
	if (s && nat64_sess_expire_locked(nn, s))
		s = NULL;
	if (s || nat64_full(nn, reason))
		goto out;
	/* refuse before a binding is made for nothing */
	if (READ_ONCE(nn->cfg.max_sess_per_sub) &&
	    nat64_sub_full(nn, nat64_sub_find(nn, &k->src))) {
		*reason = NAT64_STAT_DROP_SUBSCRIBER_LIMIT;
		goto out;
	}
	b = rhashtable_lookup_fast(&nn->bib6, &bk, nat64_bib6_params);
	if (!b) {
		b = nat64_bib_create(nn, &bk, reason);
		if (!b)
			goto out;
	}
	s = kmem_cache_alloc(nat64_sess_cache, GFP_ATOMIC);
	if (!s) {
		*reason = NAT64_STAT_DROP_NOMEM;
	} else {
		*s = (struct nat64_session){
			.src6 = k->src, .addr4 = k->dst4, .port6 = k->sport, .rport = k->dport,
			.pool_addr = b->k4.addr, .pool_port = b->k4.port,
			.proto = k->proto, .pidx = k->pidx,
		};
		s = nat64_sess_insert(nn, s, b, true, reason);
		if (s && nn->nsyns && k->proto == IPPROTO_TCP) {
			nat64_sess_key4(s, &k4);
			nat64_syn_match(nn, &k4);
		}
	}
	if (!s && !b->sessions && !b->is_static)
		nat64_bib_remove(nn, b, NAT64_RSN_LAST_SESSION);
out:
	spin_unlock_bh(&nn->lock);
	return s;
}

/* Does a binding hold IPv4 transport address @bk? Under RCU. */
bool nat64_bib_held4(struct nat64_net *nn, const struct nat64_bkey4 *bk)
{
	return rhashtable_lookup_fast(&nn->bib4, bk, nat64_bib4_params);
}

/* First packet of a flow from the IPv4 side: needs a binding (RFC 6146 3.5.1.2). */
struct nat64_session *nat64_sess_create4(struct nat64_net *nn,
					 const struct nat64_skey4 *k, int *reason)
{
	struct nat64_bkey4 bk = { .addr = k->dst, .port = k->dport, .proto = k->proto };
	const struct nat64_prefixes *pf;
	const struct nat64_prefix *pfx;
	struct nat64_session *s;
	struct nat64_bib *b;

	spin_lock_bh(&nn->lock);
	s = rhashtable_lookup_fast(&nn->sess4, k, nat64_sess4_params);
	if (s && nat64_sess_expire_locked(nn, s))
		s = NULL;
	if (s)
		goto out;
	b = rhashtable_lookup_fast(&nn->bib4, &bk, nat64_bib4_params);
	pf = rcu_dereference(nn->prefixes);
	pfx = nat64_prefix_first(pf);
	if (!b || !pfx) {
		*reason = NAT64_STAT_DROP_NO_BIB;
		goto out;
	}
	if (READ_ONCE(nn->cfg.adf) && !b->is_static && !nat64_adf_allows(b, k->src)) {
		*reason = NAT64_STAT_DROP_FILTERED;
		goto out;
	}
	if (nat64_full(nn, reason))
		goto out;
	s = kmem_cache_alloc(nat64_sess_cache, GFP_ATOMIC);
	if (!s) {
		*reason = NAT64_STAT_DROP_NOMEM;
		goto out;
	}
	*s = (struct nat64_session){
		.src6 = b->k6.addr, .addr4 = k->src, .port6 = b->k6.port, .rport = k->sport,
		.pool_addr = k->dst, .pool_port = k->dport, .proto = k->proto,
		.pidx = pfx - pf->p,
	};
	s = nat64_sess_insert(nn, s, b, false, reason);
out:
	spin_unlock_bh(&nn->lock);
	return s;
}

/*
 * Address-dependent filtering (RFC 4787 5, RFC 6146 3.5.1.2): does binding
 * @b have a session with IPv4 host @remote? Under RCU or nn->lock.
 */
bool nat64_adf_allows(const struct nat64_bib *b, __be32 remote)
{
	const struct nat64_session *s;

	hlist_for_each_entry_rcu(s, &b->sess_list, bib_node)
		if (s->addr4 == remote)
			return true;
	return false;
}

/* Per packet: TCP state and lifetime. No lock unless the TCP state changes. */
static u32 nat64_tcp_expires(struct nat64_net *nn, enum nat64_tmo t)
{
	return (u32)jiffies + (t == NAT64_TMO_EST ? READ_ONCE(nn->cfg.tcp_est_tmo) :
						    READ_ONCE(nn->cfg.tcp_trans_tmo));
}

/*
 * A TCP segment that changes the state: state and lifetime together, under
 * the lock. A segment that does not may refresh the lifetime of a state
 * that another CPU has just left (a data segment crossing a FIN or RST):
 * it looks again after writing, and the lifetime of the newer state wins.
 */
static void nat64_tcp_update(struct nat64_net *nn, struct nat64_session *s, bool from6,
			     u8 tcp_flags)
{
	enum nat64_tmo t;
	unsigned int tries;
	bool force = false;
	u32 exp;
	u8 st;

	for (tries = 0; tries < 4; tries++) {
		st = READ_ONCE(s->state);
		if (nat64_tcp_next(st, from6, tcp_flags, &t) != st) {
			spin_lock_bh(&nn->lock);
			st = nat64_tcp_next(s->state, from6, tcp_flags, &t);
			WRITE_ONCE(s->state, st);
			smp_mb();	/* state before lifetime; pairs with the one below */
			if (t != NAT64_TMO_KEEP)
				WRITE_ONCE(s->expires, nat64_tcp_expires(nn, t));
			spin_unlock_bh(&nn->lock);
			return;
		}
		if (t == NAT64_TMO_KEEP) {
			/*
			 * Our write above may have replaced the lifetime the
			 * new state was given, which this segment keeps: give
			 * it again, under the lock that orders state changes.
			 */
			if (force) {
				spin_lock_bh(&nn->lock);
				WRITE_ONCE(s->expires, nat64_tcp_expires(nn,
						nat64_tcp_state_tmo(s->state)));
				spin_unlock_bh(&nn->lock);
			}
			return;
		}
		exp = nat64_tcp_expires(nn, t);
		/* write the shared line at most a few times a second per flow */
		if (!force && !time_after32(exp, READ_ONCE(s->expires) + HZ / 8))
			return;
		WRITE_ONCE(s->expires, exp);
		smp_mb();	/* lifetime before looking at the state again */
		if (READ_ONCE(s->state) == st)
			return;
		force = true;
	}
}

void nat64_sess_update(struct nat64_net *nn, struct nat64_session *s, bool from6,
		       u8 tcp_flags)
{
	unsigned long tmo;
	u32 exp;

	switch (s->proto) {
	case IPPROTO_TCP:
		nat64_tcp_update(nn, s, from6, tcp_flags);
		return;
	case IPPROTO_UDP:
		tmo = READ_ONCE(nn->cfg.udp_tmo);
		break;
	default:
		tmo = READ_ONCE(nn->cfg.icmp_tmo);
		break;
	}
	exp = (u32)jiffies + tmo;
	/* write the shared line at most a few times a second per flow */
	if (time_after32(exp, READ_ONCE(s->expires) + HZ / 8))
		WRITE_ONCE(s->expires, exp);
}

int nat64_bib_add_static(struct nat64_net *nn, const struct nat64_bkey6 *k6,
			 const struct nat64_bkey4 *k4, const char **msg)
{
	struct nat64_bib *b = kmem_cache_zalloc(nat64_bib_cache, GFP_KERNEL);
	int err = -EEXIST;

	if (!b)
		return -ENOMEM;
	b->k6 = *k6;
	b->k4 = *k4;
	b->is_static = true;
	spin_lock_bh(&nn->lock);
	if (rhashtable_lookup_fast(&nn->bib6, k6, nat64_bib6_params))
		*msg = "the IPv6 transport address already has a binding";
	else if (rhashtable_lookup_fast(&nn->bib4, k4, nat64_bib4_params))
		*msg = "the IPv4 transport address is already bound";
	else
		err = nat64_bib_insert(nn, b);
	spin_unlock_bh(&nn->lock);
	if (err)
		kmem_cache_free(nat64_bib_cache, b);
	return err;
}

/* The binding and its sessions go at once (its list, under the lock). */
/*
 * Remove @b, static or not, with its sessions; under nn->lock. No session
 * joins it afterwards: creation looks bindings up under the lock.
 */
void nat64_bib_drop(struct nat64_net *nn, struct nat64_bib *b, u8 reason)
{
	struct nat64_session *s;
	struct hlist_node *tmp;

	b->is_static = false;
	/* the last session takes the binding with it */
	hlist_for_each_entry_safe(s, tmp, &b->sess_list, bib_node)
		nat64_sess_remove(nn, s, reason);
	nat64_bib_remove(nn, b, reason);
}

int nat64_bib_del(struct nat64_net *nn, const struct nat64_bkey6 *k6)
{
	struct nat64_bib *b;
	int err = 0;

	spin_lock_bh(&nn->lock);
	b = rhashtable_lookup_fast(&nn->bib6, k6, nat64_bib6_params);
	if (b)
		nat64_bib_drop(nn, b, NAT64_RSN_CONFIG);
	else
		err = -ENOENT;
	spin_unlock_bh(&nn->lock);
	return err;
}

int nat64_state_init(struct nat64_net *nn)
{
	unsigned int i;
	int err;

	spin_lock_init(&nn->lock);
	INIT_LIST_HEAD(&nn->syns);
	for (i = 0; i < NAT64_SYN_BUCKETS; i++)
		INIT_HLIST_HEAD(&nn->syn_hash[i]);
	err = nat64_subs_init(nn);
	if (err)
		return err;
	err = rhashtable_init(&nn->sess6, &nat64_sess6_params);
	if (err)
		goto err_sess6;
	err = rhashtable_init(&nn->sess4, &nat64_sess4_params);
	if (err)
		goto err_sess4;
	err = rhashtable_init(&nn->bib6, &nat64_bib6_params);
	if (err)
		goto err_bib6;
	err = rhashtable_init(&nn->bib4, &nat64_bib4_params);
	if (err)
		goto err_bib4;
	nat64_gc_start(nn);
	return 0;

err_bib4:
	rhashtable_destroy(&nn->bib6);
err_bib6:
	rhashtable_destroy(&nn->sess4);
err_sess4:
	rhashtable_destroy(&nn->sess6);
err_sess6:
	nat64_subs_exit(nn);
	return err;
}

static void nat64_free_sess(void *ptr, void *arg)
{
	kmem_cache_free(nat64_sess_cache, ptr);
}

static void nat64_free_bib(void *ptr, void *arg)
{
	kmem_cache_free(nat64_bib_cache, ptr);
}

/* The hooks are gone: nothing but this function sees the tables. */
void nat64_state_exit(struct nat64_net *nn)
{
	nat64_gc_stop(nn);
	if (nn->reap || nn->reaped) {
		synchronize_rcu();
		nat64_sess_free_list(nn->reaped);
		nat64_sess_free_list(nn->reap);
	}
	rhashtable_destroy(&nn->sess4);
	rhashtable_free_and_destroy(&nn->sess6, nat64_free_sess, NULL);
	rhashtable_destroy(&nn->bib4);
	rhashtable_free_and_destroy(&nn->bib6, nat64_free_bib, NULL);
	nat64_subs_exit(nn);
	nat64_syn_expire(nn, true);
}

int nat64_session_init(void)
{
	BUILD_BUG_ON(offsetof(struct nat64_session, rport) + 2 -
		     offsetof(struct nat64_session, src6) != NAT64_K6_WORDS * 4);
	BUILD_BUG_ON(offsetof(struct nat64_skey6, dport) + 2 != NAT64_K6_WORDS * 4);
	BUILD_BUG_ON(IS_ENABLED(CONFIG_64BIT) && sizeof(struct nat64_session) != 72);
	BUILD_BUG_ON(offsetof(struct nat64_session, reap_next) !=
		     offsetof(struct nat64_session, bib_node.pprev));
	nat64_sess_cache = KMEM_CACHE(nat64_session, 0);
	if (!nat64_sess_cache)
		return -ENOMEM;
	nat64_bib_cache = KMEM_CACHE(nat64_bib, 0);
	if (!nat64_bib_cache) {
		kmem_cache_destroy(nat64_sess_cache);
		return -ENOMEM;
	}
	return 0;
}

void nat64_session_exit(void)
{
	rcu_barrier();
	kmem_cache_destroy(nat64_bib_cache);
	kmem_cache_destroy(nat64_sess_cache);
}
