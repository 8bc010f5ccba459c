// SPDX-License-Identifier: GPL-2.0
/*
 * Subscribers (RFC 6888 REQ-4): sessions counted per IPv6 host address cut
 * to cfg.sub_plen, for max-sessions-per-subscriber. Under nn->lock. The
 * same cut picks the subscriber's pool4 address (ports.c, REQ-2).
 */

#include <linux/slab.h>
#include "nat64.h"

static const struct rhashtable_params nat64_sub_params = {
	.key_len = sizeof(struct in6_addr),
	.key_offset = offsetof(struct nat64_sub, key),
	.head_offset = offsetof(struct nat64_sub, node),
	.automatic_shrinking = true,
};

/* The subscriber of IPv6 host @a: its address cut to cfg.sub_plen. */
void nat64_sub_key(const struct nat64_net *nn, const struct in6_addr *a,
		   struct in6_addr *key)
{
	unsigned int plen = nn->cfg.sub_plen, i;

	for (i = 0; i < 4; i++) {
		unsigned int bits = min(plen, 32u);

		key->s6_addr32[i] = bits ? a->s6_addr32[i] & htonl(~0u << (32 - bits)) : 0;
		plen -= bits;
	}
}

/* Under nn->lock. */
struct nat64_sub *nat64_sub_find(struct nat64_net *nn, const struct in6_addr *a)
{
	struct in6_addr key;

	nat64_sub_key(nn, a, &key);
	return rhashtable_lookup_fast(&nn->subs, &key, nat64_sub_params);
}

static void nat64_sub_free_rcu(struct rcu_head *h)
{
	kfree(container_of(h, struct nat64_sub, rcu));
}

/* A subscriber entry without sessions goes; under nn->lock. */
void nat64_sub_put(struct nat64_net *nn, struct nat64_sub *sub)
{
	if (WARN_ON_ONCE(!sub))
		return;
	if (sub->sessions && --sub->sessions)
		return;
	rhashtable_remove_fast(&nn->subs, &sub->node, nat64_sub_params);
	call_rcu(&sub->rcu, nat64_sub_free_rcu);
}

/* Has subscriber @sub (or none yet) used up max-sessions-per-subscriber? */
bool nat64_sub_full(const struct nat64_net *nn, const struct nat64_sub *sub)
{
	u32 max = READ_ONCE(nn->cfg.max_sess_per_sub);

	return sub && max && sub->sessions >= max;
}

/*
 * The subscriber entry of @a for one more session, created if needed;
 * @limit: refuse beyond max-sessions-per-subscriber. Under nn->lock.
 */
struct nat64_sub *nat64_sub_get(struct nat64_net *nn, const struct in6_addr *a,
				bool limit, int *reason)
{
	struct nat64_sub *sub = nat64_sub_find(nn, a);

	if (sub) {
		if (limit && nat64_sub_full(nn, sub)) {
			*reason = NAT64_STAT_DROP_SUBSCRIBER_LIMIT;
			return NULL;
		}
		return sub;
	}
	sub = kzalloc(sizeof(*sub), GFP_ATOMIC);
	if (!sub) {
		*reason = NAT64_STAT_DROP_NOMEM;
		return NULL;
	}
	nat64_sub_key(nn, a, &sub->key);
	if (rhashtable_lookup_insert_fast(&nn->subs, &sub->node, nat64_sub_params)) {
		kfree(sub);
		*reason = NAT64_STAT_DROP_NOMEM;
		return NULL;
	}
	return sub;
}

/* Change the subscriber prefix length: only while there are no sessions. */
int nat64_sub_plen_set(struct nat64_net *nn, u8 plen)
{
	int err = 0;

	spin_lock_bh(&nn->lock);
	if (plen != nn->cfg.sub_plen && atomic_read(&nn->nsessions))
		err = -EBUSY;
	else
		WRITE_ONCE(nn->cfg.sub_plen, plen);
	spin_unlock_bh(&nn->lock);
	return err;
}

static void nat64_free_sub(void *ptr, void *arg)
{
	kfree(ptr);
}

int nat64_subs_init(struct nat64_net *nn)
{
	return rhashtable_init(&nn->subs, &nat64_sub_params);
}

/* Nothing else sees the table any more. */
void nat64_subs_exit(struct nat64_net *nn)
{
	rhashtable_free_and_destroy(&nn->subs, nat64_free_sub, NULL);
}
