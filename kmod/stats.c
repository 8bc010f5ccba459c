// SPDX-License-Identifier: GPL-2.0
/* Per-CPU counters: names and descriptions, and their sum over CPUs. */

#include <linux/cpumask.h>
#include "stats.h"

static const char *const nat64_stat_names[] = {
#define NAT64_STAT_NAME(id, name, desc) name,
	NAT64_STATS(NAT64_STAT_NAME)
#undef NAT64_STAT_NAME
};

static const char *const nat64_stat_descs[] = {
#define NAT64_STAT_DESC(id, name, desc) desc,
	NAT64_STATS(NAT64_STAT_DESC)
#undef NAT64_STAT_DESC
};

const char *nat64_stat_name(unsigned int i)
{
	return nat64_stat_names[i];
}

const char *nat64_stat_desc(unsigned int i)
{
	return nat64_stat_descs[i];
}

u64 nat64_stat_read(struct nat64_stats __percpu *st, unsigned int i)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(st, cpu)->c[i];
	return sum;
}
