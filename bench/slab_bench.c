// SPDX-License-Identifier: GPL-2.0
/*
 * slab_bench: micro-benchmarks of the slab allocator's per-CPU layer.
 *
 * Built out of tree against the baseline and the patched kernel alike
 * (bench/Makefile).  Runs at module load, prints one line per case:
 *
 *   SLAB_BENCH {"case":"cache64_b1","unit":"ns/op","reps":[...],...}
 *
 * and returns -EAGAIN so that it can be loaded again (nothing stays
 * resident).  Parameters:
 *
 *   cases=all|NAME[,NAME...]  which cases (unknown names: -EINVAL)
 *   reps=N                    repetitions per case (median reported)
 *   scale=N                   work per repetition, in units of 1000 ops
 *
 * Cases: kmem_cache and kmalloc objects of 64, 256, 1024, 4096 bytes,
 * alloc+free pairs at batch 1, 10, 100, 1000 and 1000 freed in shuffled
 * order; bulk alloc/free of 16 and 128; kmalloc(GFP_ATOMIC) against
 * kmalloc_nolock() (patched kernel only) at batch 1 and 100; remote free (allocated here, freed
 * by a kthread bound to another CPU); kfree_rcu throughput, and the peak
 * Slab growth during a kfree_rcu() flood of kmalloc objects; cache
 * create+destroy latency; the "floor" (push+pop on a per-CPU pointer
 * array with preemption disabled: what no per-CPU cache can beat); and,
 * on kernels whose struct kmem_cache_args has sheaf_capacity, a 64-byte
 * cache with sheaves (capacity 32).
 */
#define pr_fmt(fmt) "slab_bench: " fmt

#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/timex.h>
#include <linux/vmstat.h>

static char *cases = "all";
module_param(cases, charp, 0444);
MODULE_PARM_DESC(cases, "comma separated case names, or all");
static unsigned int reps = 7;
module_param(reps, uint, 0444);
MODULE_PARM_DESC(reps, "repetitions per case; the median is reported");
static unsigned int scale = 100;
module_param(scale, uint, 0444);
MODULE_PARM_DESC(scale, "work per repetition in thousands of operations");
static bool settle_first = true;
module_param_named(settle, settle_first, bool, 0444);
MODULE_PARM_DESC(settle, "settle the caches before each case (see settle())");

#define MAX_REPS	31
#define MAX_BATCH	1000

static void *objs[MAX_BATCH];
static unsigned int order[MAX_BATCH];

struct bench_case;
typedef u64 (*bench_fn)(const struct bench_case *bc, u64 *ops);

struct bench_case {
	const char	*name;
	bench_fn	fn;
	unsigned int	size;
	unsigned int	batch;
	unsigned int	flags;
	const char	*unit;	/* "ns/op" (default) or "objs/s" */
};

#define BC_KMALLOC	0x1
#define BC_SHUFFLE	0x2
#define BC_SHEAVES	0x4
#define BC_NOLOCK	0x8

#ifndef SLAB_BENCH_HAVE_NOLOCK
/* 6.12 has no kmalloc_nolock(): the cases that need it are skipped there. */
static inline void *kmalloc_nolock(size_t size, gfp_t gfp, int node)
{
	return NULL;
}

static inline void kfree_nolock(const void *p)
{
	kfree(p);
}
#endif

static struct kmem_cache *bench_cache_create(const char *name, unsigned int size,
					     bool sheaves)
{
#ifdef SLAB_BENCH_HAVE_SHEAVES
	struct kmem_cache_args args = {};

	if (sheaves)
		args.sheaf_capacity = 32;
	return kmem_cache_create(name, size, &args, SLAB_NO_MERGE);
#else
	if (sheaves)
		return NULL;
	return kmem_cache_create(name, size, 0, SLAB_NO_MERGE, NULL);
#endif
}

static void shuffle_order(unsigned int n)
{
	unsigned int i, j, t;
	/*
	 * The same order on every boot and both kernels: the comparison is
	 * of allocators, not of two random orders.
	 */
	struct rnd_state rnd;

	prandom_seed_state(&rnd, 0x51ab5eedULL + n);
	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = n - 1; i > 0; i--) {
		j = prandom_u32_state(&rnd) % (i + 1);
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
}

/*
 * kmalloc() pairs with GFP_ATOMIC, or (BC_NOLOCK) kmalloc_nolock() and
 * kfree_nolock(), only where the kernel has them: the price of
 * allocating from any context.  One "op" is one pair.
 */
static u64 run_atomic(const struct bench_case *bc, u64 *ops)
{
	u64 total = (u64)scale * 1000, done = 0, failed = 0, t0, t1;
	bool nolock = bc->flags & BC_NOLOCK;
	unsigned int i, b = bc->batch;

	if (nolock && !IS_ENABLED(SLAB_BENCH_HAVE_NOLOCK))
		return 0;
	t0 = ktime_get_ns();
	while (done < total) {
		for (i = 0; i < b; i++) {
			objs[i] = nolock ? kmalloc_nolock(bc->size, 0, NUMA_NO_NODE) :
					   kmalloc(bc->size, GFP_ATOMIC);
			failed += !objs[i];
		}
		for (i = 0; i < b; i++)
			nolock ? kfree_nolock(objs[i]) : kfree(objs[i]);
		done += b;
		cond_resched();
	}
	t1 = ktime_get_ns();
	/* A failed allocation costs less than one that succeeds: no figure. */
	if (failed) {
		pr_info("%s: %llu of %llu allocations failed\n", bc->name, failed, done);
		return 0;
	}
	*ops = done;
	return t1 - t0;
}

/* alloc+free pairs in batches; one "op" is one pair */
static u64 run_pairs(const struct bench_case *bc, u64 *ops)
{
	bool km = bc->flags & BC_KMALLOC;
	struct kmem_cache *s = NULL;
	u64 total = (u64)scale * 1000, done = 0, t0, t1;
	unsigned int i, b = bc->batch;

	if (!km) {
		s = bench_cache_create("slab_bench", bc->size, bc->flags & BC_SHEAVES);
		if (!s)
			return 0;
	}
	if (bc->flags & BC_SHUFFLE)
		shuffle_order(b);
	/* warm up the per-CPU layer once */
	for (i = 0; i < b; i++)
		objs[i] = km ? kmalloc(bc->size, GFP_KERNEL) : kmem_cache_alloc(s, GFP_KERNEL);
	for (i = 0; i < b; i++)
		km ? kfree(objs[i]) : kmem_cache_free(s, objs[i]);

	t0 = ktime_get_ns();
	while (done < total) {
		for (i = 0; i < b; i++)
			objs[i] = km ? kmalloc(bc->size, GFP_KERNEL) :
				       kmem_cache_alloc(s, GFP_KERNEL);
		if (bc->flags & BC_SHUFFLE) {
			for (i = 0; i < b; i++)
				km ? kfree(objs[order[i]]) : kmem_cache_free(s, objs[order[i]]);
		} else {
			for (i = 0; i < b; i++)
				km ? kfree(objs[i]) : kmem_cache_free(s, objs[i]);
		}
		done += b;
		cond_resched();
	}
	t1 = ktime_get_ns();
	if (s)
		kmem_cache_destroy(s);
	*ops = done;
	return t1 - t0;
}

static u64 run_bulk(const struct bench_case *bc, u64 *ops)
{
	u64 total = (u64)scale * 1000, done = 0, t0, t1;
	struct kmem_cache *s;
	unsigned int b = bc->batch;

	s = bench_cache_create("slab_bench", bc->size, false);
	if (!s)
		return 0;
	t0 = ktime_get_ns();
	while (done < total) {
		if (kmem_cache_alloc_bulk(s, GFP_KERNEL, b, objs) != b)
			break;
		kmem_cache_free_bulk(s, b, objs);
		done += b;
		cond_resched();
	}
	t1 = ktime_get_ns();
	kmem_cache_destroy(s);
	*ops = done;
	return t1 - t0;
}

/* remote free: a kthread bound to another CPU frees what we allocated */
struct remote_ctx {
	struct kmem_cache *s;
	unsigned int n;
	struct completion go, done;
	u64 ns;
};

static int remote_free_fn(void *arg)
{
	struct remote_ctx *rc = arg;
	unsigned int i;
	u64 t0;

	wait_for_completion(&rc->go);
	t0 = ktime_get_ns();
	for (i = 0; i < rc->n; i++)
		kmem_cache_free(rc->s, objs[i]);
	rc->ns = ktime_get_ns() - t0;
	complete(&rc->done);
	return 0;
}

static u64 run_remote(const struct bench_case *bc, u64 *ops)
{
	u64 total = (u64)scale * 1000, done = 0, ns = 0;
	struct task_struct *t;
	struct remote_ctx rc;
	unsigned int i, cpu, other;

	cpu = get_cpu();
	put_cpu();
	other = cpumask_any_but(cpu_online_mask, cpu);
	if (other >= nr_cpu_ids)
		return 0;	/* one CPU: not applicable */
	rc.s = bench_cache_create("slab_bench", bc->size, false);
	if (!rc.s)
		return 0;
	rc.n = bc->batch;
	while (done < total) {
		init_completion(&rc.go);
		init_completion(&rc.done);
		t = kthread_create(remote_free_fn, &rc, "slab_bench_rf");
		if (IS_ERR(t))
			break;
		kthread_bind(t, other);
		wake_up_process(t);
		for (i = 0; i < rc.n; i++)
			objs[i] = kmem_cache_alloc(rc.s, GFP_KERNEL);
		complete(&rc.go);
		wait_for_completion(&rc.done);
		ns += rc.ns;
		done += rc.n;
	}
	kmem_cache_destroy(rc.s);
	*ops = done;
	return ns;
}

struct rcu_obj {
	struct rcu_head rcu;
	char pad[48];
};

/*
 * kfree_rcu throughput: ns for @ops objects through kfree_rcu() and the
 * one barrier that waits for all of them.  Enough objects (10000 per unit
 * of scale) that the grace period of the barrier does not dominate.
 */
static u64 run_kfree_rcu(const struct bench_case *bc, u64 *ops)
{
	u64 total = (u64)scale * 10000, done = 0, t0, t1;
	struct kmem_cache *s;
	struct rcu_obj *o;

	s = bench_cache_create("slab_bench_rcu", sizeof(struct rcu_obj),
			       bc->flags & BC_SHEAVES);
	if (!s)
		return 0;
	t0 = ktime_get_ns();
	while (done < total) {
		o = kmem_cache_alloc(s, GFP_KERNEL);
		if (!o)
			break;
		kfree_rcu(o, rcu);
		done++;
		if (!(done & 1023))
			cond_resched();
	}
	kvfree_rcu_barrier();
	t1 = ktime_get_ns();
	kmem_cache_destroy(s);
	*ops = done;
	return t1 - t0;
}

/* Slab pages of every cache, as /proc/meminfo's Slab line counts them. */
static unsigned long slab_pages(void)
{
	return global_node_page_state_pages(NR_SLAB_RECLAIMABLE_B) +
	       global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B);
}

/*
 * A kfree_rcu() flood of kmalloc objects, the way most kfree_rcu() users
 * free: the peak of the Slab total above its start while the objects wait
 * for their grace period, in kB (returned instead of a time; unit "kB").
 * 6.12 batches such frees in pages of pointers (kvfree_rcu_bulk), the
 * patched kernel in RCU sheaves of the kmalloc cache.  The vmstat counters
 * lag by their per-CPU thresholds, a few dozen pages at most.
 */
static u64 run_kfree_rcu_peak(const struct bench_case *bc, u64 *ops)
{
	u64 total = (u64)scale * 10000, done = 0;
	unsigned long start, peak;
	struct rcu_obj *o;

	kvfree_rcu_barrier();
	start = slab_pages();
	peak = start;
	while (done < total) {
		o = kmalloc(sizeof(*o), GFP_KERNEL);
		if (!o)
			break;
		kfree_rcu(o, rcu);
		done++;
		if (!(done & 255))
			peak = max(peak, slab_pages());
		if (!(done & 1023))
			cond_resched();
	}
	kvfree_rcu_barrier();
	*ops = done;
	return (u64)(peak - start) << (PAGE_SHIFT - 10);
}

static u64 run_create_destroy(const struct bench_case *bc, u64 *ops)
{
	unsigned int i, n = max(1U, scale / 10);
	struct kmem_cache *s;
	void *p;
	u64 t0, t1;

	t0 = ktime_get_ns();
	for (i = 0; i < n; i++) {
		s = bench_cache_create("slab_bench_cd", bc->size, bc->flags & BC_SHEAVES);
		if (!s)
			break;
		p = kmem_cache_alloc(s, GFP_KERNEL);
		kmem_cache_free(s, p);
		kmem_cache_destroy(s);
	}
	t1 = ktime_get_ns();
	*ops = i;
	return t1 - t0;
}

/*
 * The destroy-after-kfree_rcu() scenario: create, allocate one object,
 * kfree_rcu() it, destroy.  The destroy has to wait for that object's
 * grace period (in 6.12 through kvfree_rcu_barrier()).
 */
static u64 run_create_destroy_rcu(const struct bench_case *bc, u64 *ops)
{
	unsigned int i, n = max(1U, scale / 10);
	struct kmem_cache *s;
	struct rcu_obj *o;
	u64 t0, t1;

	t0 = ktime_get_ns();
	for (i = 0; i < n; i++) {
		s = bench_cache_create("slab_bench_cdr", sizeof(struct rcu_obj),
				       bc->flags & BC_SHEAVES);
		if (!s)
			break;
		o = kmem_cache_alloc(s, GFP_KERNEL);
		if (o)
			kfree_rcu(o, rcu);
		kmem_cache_destroy(s);
	}
	t1 = ktime_get_ns();
	*ops = i;
	return t1 - t0;
}

/* The floor: a per-CPU array of pointers, push and pop, preemption off. */
struct floor_stack {
	unsigned int top;
	void *slot[64];
};

static DEFINE_PER_CPU(struct floor_stack, floor_stack);

static u64 run_floor(const struct bench_case *bc, u64 *ops)
{
	u64 total = (u64)scale * 1000, done = 0, t0, t1;
	struct floor_stack *fs;
	void *p = &done;

	t0 = ktime_get_ns();
	while (done < total) {
		unsigned int i;

		for (i = 0; i < 1000; i++) {
			preempt_disable();
			fs = this_cpu_ptr(&floor_stack);
			fs->slot[fs->top++ & 63] = p;
			p = READ_ONCE(fs->slot[--fs->top & 63]);
			preempt_enable();
		}
		done += 1000;
		cond_resched();
	}
	t1 = ktime_get_ns();
	*ops = done;
	return t1 - t0;
}

/* The cases: bench/cases, made into initializers by bench/Kbuild. */
static const struct bench_case all_cases[] = {
#include "cases.h"
};

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static bool wanted(const char *name)
{
	const char *p = cases;
	size_t n = strlen(name);

	if (!strcmp(cases, "all"))
		return true;
	while (*p) {
		if (!strncmp(p, name, n) && (p[n] == ',' || !p[n]))
			return true;
		p = strchrnul(p, ',');
		if (*p)
			p++;
	}
	return false;
}

/* every name in cases= must exist */
static int check_cases(void)
{
	char name[64];
	const char *p = cases, *e;
	unsigned int i;
	bool found;

	if (!strcmp(cases, "all"))
		return 0;
	while (*p) {
		e = strchrnul(p, ',');
		if (e - p >= sizeof(name) || e == p) {
			pr_err("bad case list '%s'\n", cases);
			return -EINVAL;
		}
		memcpy(name, p, e - p);
		name[e - p] = 0;
		found = false;
		for (i = 0; i < ARRAY_SIZE(all_cases); i++)
			found |= !strcmp(all_cases[i].name, name);
		if (!found) {
			pr_err("unknown case '%s'\n", name);
			return -EINVAL;
		}
		p = *e ? e + 1 : e;
	}
	return 0;
}

/*
 * Start each case from the same state, whatever ran before it and
 * wherever the timer ticks fell until then: RCU callbacks that were
 * pending (objects they free would land in the caches mid-case), and for
 * a case on a kmalloc cache, the objects that its per-CPU caching (CPU
 * slabs or sheaves) held given back (kmem_cache_shrink()).  Cases with a
 * cache of their own create it afresh in every repetition.  Under QEMU's
 * icount, without this, a few instructions more early in the boot moved
 * batch cases on kmalloc caches by up to 1.3 %.  The lock counts leave it
 * out (settle=0): they count every list_lock round while a case runs, and
 * the shrink's would be counted with them.
 */
static void settle(const struct bench_case *bc)
{
	rcu_barrier();
	if (bc->size && ((bc->flags & BC_KMALLOC) || bc->fn == run_atomic))
		kmem_cache_shrink(kmalloc_caches[KMALLOC_NORMAL][__kmalloc_index(bc->size, false)]);
}

static void run_case(const struct bench_case *bc)
{
	u64 v[MAX_REPS], ops, ns;
	unsigned int r, n = min(reps, (unsigned int)MAX_REPS);
	const char *unit = bc->unit ?: "ns/op";
	/* Rates and sizes are whole numbers, times are in hundredths. */
	bool whole = !strcmp(unit, "objs/s") || !strcmp(unit, "kB");
	char buf[512];
	int len;

	if (settle_first)
		settle(bc);
	for (r = 0; r < n; r++) {
		ops = 0;
		ns = bc->fn(bc, &ops);
		if (!ops) {
			pr_info("SLAB_BENCH {\"case\":\"%s\",\"skipped\":true}\n", bc->name);
			return;
		}
		if (!strcmp(unit, "objs/s"))
			v[r] = div64_u64(ops * NSEC_PER_SEC, max_t(u64, ns, 1));
		else if (!strcmp(unit, "us/op"))	/* in hundredths too */
			v[r] = div64_u64(ns, ops * 10);
		else if (!strcmp(unit, "kB"))	/* a size, not a time */
			v[r] = ns;
		else	/* ns/op, in hundredths to keep two decimals */
			v[r] = div64_u64(ns * 100, ops);
	}
	len = scnprintf(buf, sizeof(buf), "{\"case\":\"%s\",\"unit\":\"%s\",\"scale\":%s,\"reps\":[",
			bc->name, unit, whole ? "1" : "0.01");
	for (r = 0; r < n; r++)
		len += scnprintf(buf + len, sizeof(buf) - len, "%s%llu", r ? "," : "", v[r]);
	sort(v, n, sizeof(v[0]), cmp_u64, NULL);
	/* ops of one repetition: what lock counts are divided by */
	len += scnprintf(buf + len, sizeof(buf) - len, "],\"median\":%llu,\"ops\":%llu}",
			 v[n / 2], ops);
	pr_info("SLAB_BENCH %s\n", buf);
}

static int __init slab_bench_init(void)
{
	unsigned int i;
	int ret;

	if (!reps || !scale) {
		pr_err("reps and scale must be positive\n");
		return -EINVAL;
	}
	ret = check_cases();
	if (ret)
		return ret;
	pr_info("SLAB_BENCH_START cpus=%u reps=%u scale=%u sheaves=%d\n",
		num_online_cpus(), reps, scale,
		IS_ENABLED(SLAB_BENCH_HAVE_SHEAVES));
	for (i = 0; i < ARRAY_SIZE(all_cases); i++)
		if (wanted(all_cases[i].name))
			run_case(&all_cases[i]);
	pr_info("SLAB_BENCH_END\n");
	/*
	 * Stay loaded: a failed load would make busybox insmod retry through
	 * init_module() and run every case twice.  The job unloads us.
	 */
	return 0;
}
module_init(slab_bench_init);

static void __exit slab_bench_exit(void)
{
}
module_exit(slab_bench_exit);

MODULE_DESCRIPTION("slab allocator per-CPU layer micro-benchmarks");
MODULE_LICENSE("GPL");
