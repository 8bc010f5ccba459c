// SPDX-License-Identifier: GPL-2.0
/*
 * Garbage collection and flushes of the session and binding tables: a delayed
 * work per namespace that walks the session table a slice at a time and
 * removes what expired without a packet meeting it, and the walks behind
 * "session flush" and the removal of a prefix or pool4 entry.
 */

#include <linux/jiffies.h>
#include <linux/math64.h>
#include "nat64.h"

/*
 * Every NAT64_GC_TICK the GC visits a slice of the session table, so that a
 * pass takes half the shortest timeout, between NAT64_GC_PERIOD_MIN and
 * NAT64_GC_PERIOD_MAX: a large table costs a steady trickle, not a CPU taken
 * from the packet path. A session no packet meets is reclaimed (its count,
 * binding and port freed) at most a pass after it expired. An idle namespace
 * is looked at once a second.
 */
#define NAT64_GC_PERIOD_MIN	(2 * HZ)
#define NAT64_GC_PERIOD_MAX	(10 * HZ)
#define NAT64_GC_TICK		(HZ / 10)
#define NAT64_GC_MIN		256

/*
 * Walk @ht calling @fn on each object, yielding now and then. A walk that
 * meets a resize (-EAGAIN) may miss objects, and so may one resumed after
 * the object it stopped at was removed (by @fn or anyone): it then skips as
 * many objects of that bucket as it had seen. The result says whether the
 * walk saw every object.
 */
static bool nat64_walk(struct rhashtable *ht, void (*fn)(void *obj, void *arg),
		       void *arg)
{
	struct rhashtable_iter it;
	unsigned int n = 0;
	bool complete = true;
	void *obj;

	rhashtable_walk_enter(ht, &it);
	rhashtable_walk_start(&it);
	while ((obj = rhashtable_walk_next(&it))) {
		if (IS_ERR(obj)) {
			complete = false;	/* table resized, walk goes on */
			continue;
		}
		fn(obj, arg);
		if (++n % 1024 == 0) {
			struct rhash_head *at = it.p;

			rhashtable_walk_stop(&it);
			cond_resched();
			/* it.p is cleared when that object is gone */
			if (rhashtable_walk_start_check(&it) || it.p != at)
				complete = false;
		}
	}
	rhashtable_walk_stop(&it);
	rhashtable_walk_exit(&it);
	return complete;
}

struct nat64_flush_arg {
	struct nat64_net *nn;
	bool (*match)(struct nat64_net *nn, struct nat64_session *s,
		      struct nat64_bib *b, const void *arg);
	const void *arg;
	u8 reason;
};

static void nat64_flush_sess(void *obj, void *arg)
{
	struct nat64_flush_arg *fa = arg;
	struct nat64_session *s = obj;
	struct nat64_bib *b;

	if (READ_ONCE(s->dead))
		return;
	b = nat64_sess_bib(fa->nn, s);
	if (!b || (fa->match && !fa->match(fa->nn, s, b, fa->arg)))
		return;
	spin_lock_bh(&fa->nn->lock);
	nat64_sess_remove(fa->nn, s, fa->reason);
	spin_unlock_bh(&fa->nn->lock);
}

static void nat64_flush_bib(void *obj, void *arg)
{
	struct nat64_flush_arg *fa = arg;
	struct nat64_bib *b = obj;

	if (READ_ONCE(b->dead) || (fa->match && !fa->match(fa->nn, NULL, b, fa->arg)))
		return;
	spin_lock_bh(&fa->nn->lock);
	if (!b->dead)
		nat64_bib_drop(fa->nn, b, fa->reason);
	spin_unlock_bh(&fa->nn->lock);
}

void nat64_state_flush(struct nat64_net *nn,
		       bool (*match)(struct nat64_net *nn, struct nat64_session *s,
				     struct nat64_bib *b, const void *arg),
		       const void *arg, bool bibs_too, u8 reason)
{
	struct nat64_flush_arg fa = {
		.nn = nn, .match = match, .arg = arg, .reason = reason,
	};
	unsigned int pass;

	/*
	 * Removals shrink the table: a walk that may have missed some goes
	 * again. A binding goes with its sessions under the lock, so that a
	 * flow opened meanwhile on it cannot keep it (nat64_bib_drop).
	 */
	for (pass = 0; pass < 8; pass++)
		if (nat64_walk(bibs_too ? &nn->bib6 : &nn->sess6,
			       bibs_too ? nat64_flush_bib : nat64_flush_sess, &fa))
			break;
}

static void nat64_gc(struct work_struct *work)
{
	struct nat64_net *nn = container_of(to_delayed_work(work), struct nat64_net,
					    gc_work);
	unsigned long period = READ_ONCE(nn->cfg.udp_tmo);
	unsigned int budget;
	struct nat64_session *s;
	bool done = false;

	period = min(period, READ_ONCE(nn->cfg.icmp_tmo));
	period = min(period, READ_ONCE(nn->cfg.tcp_est_tmo));
	period = min(period, READ_ONCE(nn->cfg.tcp_trans_tmo)) / 2;
	period = clamp(period, NAT64_GC_PERIOD_MIN, NAT64_GC_PERIOD_MAX);
	budget = max_t(unsigned int, NAT64_GC_MIN,
		       div64_ul((u64)atomic_read(&nn->nsessions) * NAT64_GC_TICK, period));
	if (READ_ONCE(nn->nsyns))
		nat64_syn_expire(nn, false);
	if (!nn->gc_walking) {
		rhashtable_walk_enter(&nn->sess6, &nn->gc_iter);
		nn->gc_walking = true;
	}
	rhashtable_walk_start(&nn->gc_iter);
	while (budget--) {
		s = rhashtable_walk_next(&nn->gc_iter);
		if (IS_ERR(s))
			continue;
		if (!s) {
			done = true;
			break;
		}
		if (nat64_sess_expired(s))
			nat64_sess_expire(nn, s);
		if (budget % 1024 == 0) {	/* a short RCU read side */
			rhashtable_walk_stop(&nn->gc_iter);
			cond_resched();
			rhashtable_walk_start(&nn->gc_iter);
		}
	}
	rhashtable_walk_stop(&nn->gc_iter);
	if (done) {
		rhashtable_walk_exit(&nn->gc_iter);
		nn->gc_walking = false;
	}
	nat64_reap(nn);
	queue_delayed_work(system_power_efficient_wq, &nn->gc_work,
			   atomic_read(&nn->nsessions) || READ_ONCE(nn->nsyns) ||
			   nn->reaped || READ_ONCE(nn->reap) ? NAT64_GC_TICK : HZ);
}

void nat64_gc_start(struct nat64_net *nn)
{
	INIT_DELAYED_WORK(&nn->gc_work, nat64_gc);
	queue_delayed_work(system_power_efficient_wq, &nn->gc_work, NAT64_GC_TICK);
}

/* The hooks are gone; after this, GC holds no walk of the tables. */
void nat64_gc_stop(struct nat64_net *nn)
{
	cancel_delayed_work_sync(&nn->gc_work);
	if (nn->gc_walking)
		rhashtable_walk_exit(&nn->gc_iter);
	nn->gc_walking = false;
}
