// SPDX-License-Identifier: GPL-2.0
/*
 * slab_soak: slab allocator stress driver for the soak test (boot/guest/soak.sh).
 *
 * Built out of tree against the patched and the plain 6.12 kernel alike
 * (soak/Kbuild probes slab.h: SLAB_SOAK_HAVE_SHEAVES for caches with an
 * explicit sheaf_capacity, SLAB_SOAK_HAVE_PREFILL for the prefill API).
 *
 * On load it creates its caches (all named soak_*), starts the worker
 * kthreads (unbound, so that they survive CPU hotplug) and the debugfs
 * directory slab_soak with
 *
 *   control  write "stop": stop the workers, free everything they hold,
 *            kvfree_rcu_barrier(), shrink the caches and print the result
 *   stats    one line "key=value ..." of the current (approximate) counts
 *
 * The result, printed once (on "stop", or at unload if it was not done):
 *
 *   SOAK-RESULT allocated=N freed=N alloc_failed=N ... prefill_broken=N
 *   SOAK-OK                   or
 *   SOAK-FAIL: REASON[, REASON...]
 *
 * Each worker repeats, chosen at random by weight: allocate into one of its
 * slots; free a slot; hand an object to another thread through a shared
 * ring (remote frees); bulk allocation and free; prefilled sheaves (every
 * allocation from a prefilled sheaf must succeed); kfree_rcu(); node-bound
 * allocation (with __GFP_THISNODE the object must come from the node asked
 * for; a memoryless node without it must work).  Every object carries a
 * stamp: word 0 holds the object's address xor a magic while it is held,
 * and a byte pattern derived from the address covers bytes 8..256 and the
 * last 64 bytes.  A new object that already carries its stamp is held by
 * someone else (double allocation); at every free the stamp and the
 * pattern are checked (corruption) and word 0 is overwritten.  A NULL from
 * the allocator is only counted (alloc_failed): it is expected while
 * failslab or fail_page_alloc inject failures.
 *
 * Parameters: threads (0: twice the online CPUs), seed, failslab (failslab
 * injects into these caches: kmem_cache_create() does not take
 * SLAB_FAILSLAB, so the guest sets /sys/kernel/slab/soak_NAME/failslab; this
 * only tells the module that failures are expected), fail_pages (workers get
 * make_it_fail for fail_page_alloc's task-filter), nowarn (__GFP_NOWARN),
 * slots (objects each worker keeps).
 */
#define pr_fmt(fmt) fmt

#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/kfence.h>
#include <linux/kthread.h>
#include <linux/memory.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/notifier.h>
#include <linux/prandom.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#if defined(SLAB_SOAK_HAVE_SHEAVES) && defined(SLAB_SOAK_HAVE_PREFILL)
#define SOAK_PREFILL
#endif

static int threads;
module_param(threads, int, 0444);
MODULE_PARM_DESC(threads, "worker threads (0: twice the online CPUs)");
static unsigned long seed = 1;
module_param(seed, ulong, 0444);
MODULE_PARM_DESC(seed, "PRNG seed; worker i uses seed + i");
static bool failslab;
module_param(failslab, bool, 0444);
MODULE_PARM_DESC(failslab, "failslab injects into the soak caches (the guest marks them in sysfs)");
static bool fail_pages;
module_param(fail_pages, bool, 0444);
MODULE_PARM_DESC(fail_pages, "workers set make_it_fail (fail_page_alloc task-filter)");
static bool nowarn;
module_param(nowarn, bool, 0444);
MODULE_PARM_DESC(nowarn, "allocate with __GFP_NOWARN (while faults are injected)");
static int slots = 256;
module_param(slots, int, 0444);
MODULE_PARM_DESC(slots, "objects each worker keeps");

#define SOAK_MAX_THREADS	1024
#define SOAK_MAX_SLOTS		65536
#define SOAK_KMALLOC_MAX	8192U	/* kmalloc() sizes: 16..8192 */
#define SOAK_BULK_MAX		64U
#define SOAK_PREFILL_MAX	128U	/* objects asked of one prefill */
/* Objects in hand in one bulk or prefill operation: prefill plus refill. */
#define SOAK_OBJS_MAX		(3 * SOAK_PREFILL_MAX)
#define SOAK_RING_SIZE		1024U
#define SOAK_MAX_REPORTS	20

/*
 * Default sheaf capacities are 4 to 60 objects (64-bit, 4K pages), so a
 * prefill of at most 4 objects is within the capacity of any cache with
 * sheaves and one of more than 60 is above it.
 */
#define SOAK_DEFAULT_CAP_MIN	4U
#define SOAK_DEFAULT_CAP_MAX	60U

/* The stamp: word 0 while an object is held and after it was given back. */
#define SOAK_LIVE_MAGIC		0x5a0a11fe5a0a11feULL
#define SOAK_DEAD_MAGIC		0xdead50a4dead50a4ULL
#define SOAK_STAMP_HEAD		256U	/* the pattern covers bytes 8..256 */
#define SOAK_STAMP_TAIL		64U	/* and the last 64 bytes */
#define SOAK_STAMP_MIN		16U	/* no object is smaller */

enum soak_stat {
	ST_ALLOCATED,
	ST_FREED,
	ST_ALLOC_FAILED,
	ST_BULK_OPS,
	ST_PREFILL_OPS,
	ST_PREFILL_OVERSIZE,
	ST_RCU_FREES,
	ST_HANDOFFS,
	ST_NODE_CHECKED,
	ST_NODE_BAD,
	ST_NODE_SOFT_MISMATCH,
	ST_MEMLESS_ALLOCS,
	ST_DOUBLE_ALLOC,
	ST_CORRUPT,
	ST_PREFILL_BROKEN,
	NR_SOAK_STATS
};

static const char * const soak_stat_names[NR_SOAK_STATS] = {
	[ST_ALLOCATED]		= "allocated",
	[ST_FREED]		= "freed",
	[ST_ALLOC_FAILED]	= "alloc_failed",
	[ST_BULK_OPS]		= "bulk_ops",
	[ST_PREFILL_OPS]	= "prefill_ops",
	[ST_PREFILL_OVERSIZE]	= "prefill_oversize",
	[ST_RCU_FREES]		= "rcu_frees",
	[ST_HANDOFFS]		= "handoffs",
	[ST_NODE_CHECKED]	= "node_checked",
	[ST_NODE_BAD]		= "node_bad",
	[ST_NODE_SOFT_MISMATCH]	= "node_soft_mismatch",
	[ST_MEMLESS_ALLOCS]	= "memless_allocs",
	[ST_DOUBLE_ALLOC]	= "double_alloc",
	[ST_CORRUPT]		= "corrupt",
	[ST_PREFILL_BROKEN]	= "prefill_broken",
};

/* The object that kfree_rcu() frees: the rcu_head is not stamped. */
#define SOAK_RCU_OBJ_SIZE	192U
struct soak_rcu_obj {
	unsigned long	stamp;
	u8		data[SOAK_RCU_OBJ_SIZE - sizeof(unsigned long) -
			     sizeof(struct rcu_head)];
	struct rcu_head	rcu;
};

struct soak_cache {
	const char		*name;
	unsigned int		size;
	slab_flags_t		flags;
	unsigned int		capacity;	/* sheaf_capacity, 0: default */
	struct kmem_cache	*s;
};

enum {
	SOAK_C16,
	SOAK_C96,
	SOAK_C192,		/* also for kfree_rcu() of struct soak_rcu_obj */
	SOAK_C700,		/* also the default-capacity prefill cache */
	SOAK_C3000,
	SOAK_CRCU,
#ifdef SLAB_SOAK_HAVE_SHEAVES
	SOAK_C128_CAP32,
	SOAK_C2048_CAP8,
#endif
	SOAK_NR_CACHES
};

#define SOAK_KMALLOC		(-1)	/* "cache index" of kmalloc() objects */

/*
 * SLAB_NO_MERGE: the guest counts the objects of each soak_* cache after
 * the stop, which must be the module's objects only.
 */
static struct soak_cache soak_caches[SOAK_NR_CACHES] = {
	[SOAK_C16]	= { .name = "soak_16",	.size = 16 },
	[SOAK_C96]	= { .name = "soak_96",	.size = 96 },
	[SOAK_C192]	= { .name = "soak_192",	.size = SOAK_RCU_OBJ_SIZE },
	[SOAK_C700]	= { .name = "soak_700",	.size = 700 },
	[SOAK_C3000]	= { .name = "soak_3000", .size = 3000 },
	[SOAK_CRCU]	= { .name = "soak_typesafe_rcu_256", .size = 256,
			    .flags = SLAB_TYPESAFE_BY_RCU },
#ifdef SLAB_SOAK_HAVE_SHEAVES
	[SOAK_C128_CAP32] = { .name = "soak_128_cap32", .size = 128, .capacity = 32 },
	[SOAK_C2048_CAP8] = { .name = "soak_2048_cap8", .size = 2048, .capacity = 8 },
#endif
};

/* An object held in a slot or in the ring. */
struct soak_obj {
	void		*p;
	unsigned int	size;	/* the size asked for: the bytes stamped */
	int		ci;	/* index in soak_caches[], or SOAK_KMALLOC */
};

struct soak_thread {
	struct task_struct	*task;
	struct rnd_state	rnd;
	/* written by the worker only (by the stop path once it is stopped) */
	u64			stat[NR_SOAK_STATS];
	/* held around allocations from a prefilled sheaf: their use case */
	spinlock_t		lock;
	struct soak_obj		*slots;
	void			**objs;		/* SOAK_OBJS_MAX, bulk and prefill */
};

static unsigned int soak_nr_threads;
static unsigned int soak_nr_slots;
static struct soak_thread **soak_threads;
static gfp_t soak_gfp;

/* Counts of the stop path for the objects it finds in the ring. */
static u64 soak_misc_stat[NR_SOAK_STATS];

/* The exchange ring: objects freed by another thread than their allocator. */
static DEFINE_SPINLOCK(soak_ring_lock);
static struct soak_obj soak_ring[SOAK_RING_SIZE];
static unsigned int soak_ring_head;
static unsigned int soak_ring_count;

/* Serializes the stop ("stop" written to control, module unload). */
static DEFINE_MUTEX(soak_mutex);
static bool soak_stopped;

static struct dentry *soak_dir;
static atomic_t soak_reports = ATOMIC_INIT(0);
/* Memoryless-node allocations that failed with no fault injected. */
static atomic_t soak_memless_failed = ATOMIC_INIT(0);

/*
 * Bumped on every memory hotplug event: a __GFP_THISNODE allocation is only
 * checked strictly if no event came between the look at the node's state
 * and the check of the object's node.
 */
static atomic_t soak_memhp_seq = ATOMIC_INIT(0);
static bool soak_memhp_registered;

static int soak_memhp_notify(struct notifier_block *nb, unsigned long action, void *arg)
{
	atomic_inc(&soak_memhp_seq);
	return NOTIFY_OK;
}

static struct notifier_block soak_memhp_nb = {
	.notifier_call = soak_memhp_notify,
};

static inline void soak_add(u64 *st, enum soak_stat i, u64 n)
{
	/* single writer; READ_ONCE() readers sum them up while it runs */
	WRITE_ONCE(st[i], st[i] + n);
}

static inline void soak_inc(u64 *st, enum soak_stat i)
{
	soak_add(st, i, 1);
}

static inline u32 soak_rand(struct soak_thread *t, u32 n)
{
	return prandom_u32_state(&t->rnd) % n;
}

static const char *soak_cache_name(int ci)
{
	return ci == SOAK_KMALLOC ? "kmalloc" : soak_caches[ci].name;
}

/* The first SOAK_MAX_REPORTS failures are reported, all are counted. */
static __printf(1, 2) void soak_report(const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	if (atomic_inc_return(&soak_reports) > SOAK_MAX_REPORTS)
		return;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_err_ratelimited("slab_soak: %pV\n", &vaf);
	va_end(args);
}

static inline unsigned long soak_live(const void *p)
{
	return (unsigned long)p ^ (unsigned long)SOAK_LIVE_MAGIC;
}

static inline unsigned long soak_dead(const void *p)
{
	return (unsigned long)p ^ (unsigned long)SOAK_DEAD_MAGIC;
}

static inline u8 soak_pattern(const void *p)
{
	unsigned long v = (unsigned long)p;

	return (u8)((v >> 3) ^ (v >> 11) ^ (v >> 19)) | 0x01;
}

/*
 * The pattern covers [8, min(size, 256)) and the last 64 bytes (at least
 * from byte 8 on), except the hole [hole, hole_end) (an rcu_head).
 */
struct soak_shape {
	unsigned int size;
	unsigned int hole;
	unsigned int hole_end;
};

static inline struct soak_shape soak_plain(unsigned int size)
{
	return (struct soak_shape){ .size = size, .hole = size, .hole_end = size };
}

static void soak_fill_range(u8 *b, unsigned int from, unsigned int to,
			    const struct soak_shape *sh, u8 pat)
{
	unsigned int start;

	if (from < sh->hole)
		memset(b + from, pat, min(to, sh->hole) - from);
	if (to > sh->hole_end) {
		start = max(from, sh->hole_end);
		memset(b + start, pat, to - start);
	}
}

static const u8 *soak_scan_range(const u8 *b, unsigned int from, unsigned int to,
				 const struct soak_shape *sh, u8 pat)
{
	const u8 *bad = NULL;
	unsigned int start;

	if (from < sh->hole)
		bad = memchr_inv(b + from, pat, min(to, sh->hole) - from);
	if (!bad && to > sh->hole_end) {
		start = max(from, sh->hole_end);
		bad = memchr_inv(b + start, pat, to - start);
	}
	return bad;
}

static void soak_ranges(const struct soak_shape *sh, unsigned int *head_end,
			unsigned int *tail)
{
	*head_end = min(sh->size, SOAK_STAMP_HEAD);
	*tail = sh->size > SOAK_STAMP_TAIL + sizeof(unsigned long) ?
		sh->size - SOAK_STAMP_TAIL : sizeof(unsigned long);
}

/*
 * A new object: it must not carry the stamp of a held object.  If it does,
 * someone else holds it: counted, reported, and the object is dropped (not
 * counted as allocated, never freed: that could free it twice).
 */
static bool soak_take(u64 *st, int ci, void *p, const struct soak_shape *sh)
{
	unsigned long *word = p;
	unsigned int head_end, tail;
	u8 pat = soak_pattern(p);

	if (READ_ONCE(*word) == soak_live(p)) {
		soak_inc(st, ST_DOUBLE_ALLOC);
		soak_report("double allocation: %s object %p (size %u) is held already",
			    soak_cache_name(ci), p, sh->size);
		return false;
	}
	WRITE_ONCE(*word, soak_live(p));
	soak_ranges(sh, &head_end, &tail);
	soak_fill_range(p, sizeof(*word), head_end, sh, pat);
	soak_fill_range(p, tail, sh->size, sh, pat);
	soak_inc(st, ST_ALLOCATED);
	return true;
}

/*
 * An object about to be given back: check its stamp and pattern, then
 * overwrite word 0.  Counted as freed in any case.  Returns false if the
 * object must not be freed: its stamp is gone, so it may have been freed
 * (and allocated again) already.
 */
static bool soak_put(u64 *st, int ci, void *p, const struct soak_shape *sh)
{
	unsigned long *word = p;
	unsigned int head_end, tail;
	u8 pat = soak_pattern(p);
	const u8 *bad;

	soak_inc(st, ST_FREED);
	if (READ_ONCE(*word) != soak_live(p)) {
		soak_inc(st, ST_CORRUPT);
		soak_report("corrupt: %s object %p (size %u): stamp overwritten, not freed",
			    soak_cache_name(ci), p, sh->size);
		return false;
	}
	soak_ranges(sh, &head_end, &tail);
	bad = soak_scan_range(p, sizeof(*word), head_end, sh, pat);
	if (!bad)
		bad = soak_scan_range(p, tail, sh->size, sh, pat);
	if (bad) {
		soak_inc(st, ST_CORRUPT);
		soak_report("corrupt: %s object %p (size %u): pattern differs at offset %td",
			    soak_cache_name(ci), p, sh->size, bad - (const u8 *)p);
	}
	WRITE_ONCE(*word, soak_dead(p));
	return true;
}

static void soak_free(int ci, void *p)
{
	if (ci == SOAK_KMALLOC)
		kfree(p);
	else
		kmem_cache_free(soak_caches[ci].s, p);
}

static void soak_release(u64 *st, struct soak_obj *o)
{
	struct soak_shape sh = soak_plain(o->size);

	if (soak_put(st, o->ci, o->p, &sh))
		soak_free(o->ci, o->p);
	o->p = NULL;
}

static void *soak_alloc(int ci, unsigned int size, gfp_t gfp, int nid)
{
	if (ci == SOAK_KMALLOC) {
		if (nid == NUMA_NO_NODE)
			return kmalloc(size, gfp);
		return kmalloc_node(size, gfp, nid);
	}
	if (nid == NUMA_NO_NODE)
		return kmem_cache_alloc(soak_caches[ci].s, gfp);
	return kmem_cache_alloc_node(soak_caches[ci].s, gfp, nid);
}

/* Log-uniform over 16..8192, so that every kmalloc bucket is used. */
static unsigned int soak_kmalloc_size(struct soak_thread *t)
{
	unsigned int order = 4 + soak_rand(t, 10);

	return min((1U << order) + soak_rand(t, 1U << order), SOAK_KMALLOC_MAX);
}

/* A random kind of object: a module cache, or kmalloc() of a random size. */
static int soak_pick(struct soak_thread *t, unsigned int *size)
{
	u32 r = soak_rand(t, SOAK_NR_CACHES + 2);

	if (r < SOAK_NR_CACHES) {
		*size = soak_caches[r].size;
		return r;
	}
	*size = soak_kmalloc_size(t);
	return SOAK_KMALLOC;
}

static struct soak_obj *soak_random_slot(struct soak_thread *t)
{
	return &t->slots[soak_rand(t, soak_nr_slots)];
}

/* Keep an object (stamped already) in slot @o, giving back its old one. */
static void soak_keep(struct soak_thread *t, struct soak_obj *o, void *p,
		      unsigned int size, int ci)
{
	if (o->p)
		soak_release(t->stat, o);
	o->p = p;
	o->size = size;
	o->ci = ci;
}

/* 1: allocate into a random slot. */
static void soak_op_alloc(struct soak_thread *t)
{
	struct soak_obj *o = soak_random_slot(t);
	struct soak_shape sh;
	unsigned int size;
	int ci;
	void *p;

	if (o->p)
		soak_release(t->stat, o);
	ci = soak_pick(t, &size);
	p = soak_alloc(ci, size, soak_gfp, NUMA_NO_NODE);
	if (!p) {
		soak_inc(t->stat, ST_ALLOC_FAILED);
		return;
	}
	sh = soak_plain(size);
	if (soak_take(t->stat, ci, p, &sh))
		soak_keep(t, o, p, size, ci);
}

/* 2: free a random occupied slot (a few tries). */
static void soak_op_free(struct soak_thread *t)
{
	struct soak_obj *o;
	int i;

	for (i = 0; i < 4; i++) {
		o = soak_random_slot(t);
		if (o->p) {
			soak_release(t->stat, o);
			return;
		}
	}
}

/*
 * 3: hand a slot's object to the ring and free the oldest object there,
 * usually one that another thread allocated, maybe on another CPU or node.
 */
static void soak_op_handoff(struct soak_thread *t)
{
	struct soak_obj *o = soak_random_slot(t);
	struct soak_obj out = { };

	if (!o->p) {
		soak_op_alloc(t);
		return;
	}
	spin_lock(&soak_ring_lock);
	soak_ring[(soak_ring_head + soak_ring_count) % SOAK_RING_SIZE] = *o;
	if (++soak_ring_count == SOAK_RING_SIZE) {
		out = soak_ring[soak_ring_head];
		soak_ring_head = (soak_ring_head + 1) % SOAK_RING_SIZE;
		soak_ring_count--;
	}
	spin_unlock(&soak_ring_lock);
	o->p = NULL;
	soak_inc(t->stat, ST_HANDOFFS);
	if (out.p)
		soak_release(t->stat, &out);
}

/*
 * Stamp-check @n objects of cache @ci in @objs and free them, in bulk or
 * one by one; those whose stamp is gone are left alone (see soak_put()).
 */
static void soak_put_array(struct soak_thread *t, int ci, void **objs, unsigned int n)
{
	struct soak_shape sh = soak_plain(soak_caches[ci].size);
	struct kmem_cache *s = soak_caches[ci].s;
	unsigned int i, kept = 0;

	for (i = 0; i < n; i++)
		if (soak_put(t->stat, ci, objs[i], &sh))
			objs[kept++] = objs[i];
	if (!kept)
		return;
	if (soak_rand(t, 4)) {
		kmem_cache_free_bulk(s, kept, objs);
	} else {
		for (i = 0; i < kept; i++)
			kmem_cache_free(s, objs[i]);
	}
}

/* 4: bulk allocation of 1..64 objects, stamped, checked, bulk freed. */
static void soak_op_bulk(struct soak_thread *t)
{
	int ci = soak_rand(t, SOAK_NR_CACHES);
	struct soak_shape sh = soak_plain(soak_caches[ci].size);
	unsigned int n = 1 + soak_rand(t, SOAK_BULK_MAX), i, kept = 0;
	void **objs = t->objs;

	if (!kmem_cache_alloc_bulk(soak_caches[ci].s, soak_gfp, n, objs)) {
		soak_inc(t->stat, ST_ALLOC_FAILED);
		return;
	}
	soak_inc(t->stat, ST_BULK_OPS);
	for (i = 0; i < n; i++)
		if (soak_take(t->stat, ci, objs[i], &sh))
			objs[kept++] = objs[i];
	soak_put_array(t, ci, objs, kept);
}

#ifdef SOAK_PREFILL
/* The caches of the prefill operation: explicit capacities and a default. */
static const int soak_prefill_caches[] = { SOAK_C700, SOAK_C128_CAP32, SOAK_C2048_CAP8 };

/*
 * Take @n objects out of @sheaf into t->objs[*nr...]: the sheaf holds at
 * least @n, so none may be NULL.
 */
static void soak_sheaf_pop(struct soak_thread *t, int ci, struct slab_sheaf *sheaf,
			   unsigned int n, unsigned int *nr, gfp_t gfp)
{
	struct soak_shape sh = soak_plain(soak_caches[ci].size);
	struct kmem_cache *s = soak_caches[ci].s;
	unsigned int i;
	void *p;

	for (i = 0; i < n; i++) {
		p = kmem_cache_alloc_from_sheaf(s, gfp, sheaf);
		if (!p) {
			soak_inc(t->stat, ST_PREFILL_BROKEN);
			soak_report("prefill guarantee broken: %s sheaf %p: NULL after %u of %u",
				    soak_caches[ci].name, sheaf, i, n);
			break;
		}
		if (soak_take(t->stat, ci, p, &sh))
			t->objs[(*nr)++] = p;
	}
}

/*
 * Half of the time with a spinlock held, the use case of prefilled
 * sheaves, and then with GFP_NOWAIT: only modifiers of the flags count
 * for the allocation itself, but the post-allocation hooks see them.
 */
static void soak_sheaf_take(struct soak_thread *t, int ci, struct slab_sheaf *sheaf,
			    unsigned int n, unsigned int *nr)
{
	if (soak_rand(t, 2)) {
		soak_sheaf_pop(t, ci, sheaf, n, nr, soak_gfp);
		return;
	}
	spin_lock(&t->lock);
	soak_sheaf_pop(t, ci, sheaf, n, nr, GFP_NOWAIT | __GFP_NOWARN);
	spin_unlock(&t->lock);
}

/*
 * 5: prefill a sheaf with n objects (within the sheaf capacity or above
 * it), allocate all n from it, sometimes refill it to a larger size m and
 * allocate m more, return the sheaf, free the objects.
 */
static void soak_op_prefill(struct soak_thread *t)
{
	int ci = soak_prefill_caches[soak_rand(t, ARRAY_SIZE(soak_prefill_caches))];
	unsigned int cap = soak_caches[ci].capacity;
	unsigned int small = cap ?: SOAK_DEFAULT_CAP_MIN;
	unsigned int big = cap ?: SOAK_DEFAULT_CAP_MAX;
	struct kmem_cache *s = soak_caches[ci].s;
	bool oversize = soak_rand(t, 2);
	struct slab_sheaf *sheaf;
	unsigned int n, m, nr = 0;

	if (oversize)
		n = big + 1 + soak_rand(t, SOAK_PREFILL_MAX - big);
	else
		n = 1 + soak_rand(t, small);
	sheaf = kmem_cache_prefill_sheaf(s, soak_gfp, n);
	if (!sheaf) {
		soak_inc(t->stat, ST_ALLOC_FAILED);
		return;
	}
	soak_inc(t->stat, ST_PREFILL_OPS);
	if (oversize)
		soak_inc(t->stat, ST_PREFILL_OVERSIZE);
	soak_sheaf_take(t, ci, sheaf, n, &nr);

	if (!soak_rand(t, 3)) {
		/* at most 128 + 128 more: nr + m <= SOAK_OBJS_MAX */
		m = n + 1 + soak_rand(t, SOAK_PREFILL_MAX);
		if (kmem_cache_refill_sheaf(s, soak_gfp, &sheaf, m)) {
			soak_inc(t->stat, ST_ALLOC_FAILED);
		} else {
			soak_inc(t->stat, ST_PREFILL_OPS);
			if (m > big)
				soak_inc(t->stat, ST_PREFILL_OVERSIZE);
			soak_sheaf_take(t, ci, sheaf, m, &nr);
		}
	}
	kmem_cache_return_sheaf(s, soak_gfp, sheaf);
	soak_put_array(t, ci, t->objs, nr);
}
#endif /* SOAK_PREFILL */

/* 6: an object with an rcu_head, from soak_192 or kmalloc(), to kfree_rcu(). */
static void soak_op_rcu(struct soak_thread *t)
{
	struct soak_rcu_obj *obj;
	struct soak_shape sh;
	unsigned int size;
	int ci;

	if (soak_rand(t, 2)) {
		ci = SOAK_C192;
		size = soak_caches[ci].size;
		obj = kmem_cache_alloc(soak_caches[ci].s, soak_gfp);
	} else {
		ci = SOAK_KMALLOC;
		size = max_t(unsigned int, soak_kmalloc_size(t), sizeof(*obj));
		obj = kmalloc(size, soak_gfp);
	}
	if (!obj) {
		soak_inc(t->stat, ST_ALLOC_FAILED);
		return;
	}
	sh.size = size;
	sh.hole = offsetof(struct soak_rcu_obj, rcu);
	sh.hole_end = sh.hole + sizeof(obj->rcu);
	if (!soak_take(t->stat, ci, obj, &sh))
		return;
	if (soak_put(t->stat, ci, obj, &sh)) {
		kfree_rcu(obj, rcu);
		soak_inc(t->stat, ST_RCU_FREES);
	}
}

static bool soak_node_fits(int nid, bool memless)
{
	return node_state(nid, N_MEMORY) ? !memless : memless;
}

/* A random online node with memory (or, if @memless, without). */
static int soak_random_node(struct soak_thread *t, bool memless)
{
	unsigned int n = 0, k;
	int nid;

	for_each_online_node(nid)
		if (soak_node_fits(nid, memless))
			n++;
	if (!n)
		return NUMA_NO_NODE;
	k = soak_rand(t, n);
	for_each_online_node(nid)
		if (soak_node_fits(nid, memless) && !k--)
			return nid;
	return NUMA_NO_NODE;	/* the node states changed meanwhile */
}

/*
 * 7: allocate for a given node.  mode 0 and 1: __GFP_THISNODE on a node
 * with memory; 2: the same node preferred only; 3: a memoryless node
 * (online, no memory), preferred only: that must work.
 *
 * __GFP_THISNODE binds the allocation to the node only while the node has
 * normal memory (slab's slab_nodes follow N_NORMAL_MEMORY): a node whose
 * memory is all movable (hot-added DIMMs here) or that is being offlined
 * gets objects of another node.  So the strict check requires the node in
 * N_NORMAL_MEMORY before and after the allocation with no memory hotplug
 * event in between; other mismatches count as soft.
 */
static void soak_op_node(struct soak_thread *t)
{
	u32 mode = soak_rand(t, 4);
	bool thisnode = mode < 2, memless = mode == 3, normal, stable;
	struct soak_shape sh;
	gfp_t gfp = soak_gfp;
	unsigned int size;
	int ci, nid, got, seq;
	void *p;

	seq = atomic_read(&soak_memhp_seq);
	/* the event count before the node state: pairs with the notifier chain */
	smp_rmb();
	nid = memless ? soak_random_node(t, true) : NUMA_NO_NODE;
	if (nid == NUMA_NO_NODE) {
		memless = false;
		nid = soak_random_node(t, false);
		if (nid == NUMA_NO_NODE)
			return;
	}
	normal = node_state(nid, N_NORMAL_MEMORY);
	/* a __GFP_THISNODE failure may be legitimate: no allocation report */
	if (thisnode)
		gfp |= __GFP_THISNODE | __GFP_NOWARN;
	ci = soak_pick(t, &size);
	p = soak_alloc(ci, size, gfp, nid);
	if (!p) {
		soak_inc(t->stat, ST_ALLOC_FAILED);
		if (memless && !failslab && !fail_pages) {
			atomic_inc(&soak_memless_failed);
			soak_report("memoryless node %d: %s (size %u) failed, no faults injected",
				    nid, soak_cache_name(ci), size);
		}
		return;
	}
	sh = soak_plain(size);
	if (!soak_take(t->stat, ci, p, &sh))
		return;
	if (memless)
		soak_inc(t->stat, ST_MEMLESS_ALLOCS);

	if (!memless && !is_kfence_address(p)) {
		got = page_to_nid(virt_to_page(p));
		/* the node state again, only after the allocation looked at it */
		smp_rmb();
		stable = thisnode && normal && node_state(nid, N_NORMAL_MEMORY);
		/* then the event count: a change in between shows there */
		smp_rmb();
		stable = stable && atomic_read(&soak_memhp_seq) == seq;
		if (stable)
			soak_inc(t->stat, ST_NODE_CHECKED);
		if (stable && got != nid) {
			soak_inc(t->stat, ST_NODE_BAD);
			soak_report("node mismatch: %s object %p (size %u): node %d, not %d",
				    soak_cache_name(ci), p, size, got, nid);
		} else if (got != nid) {
			soak_inc(t->stat, ST_NODE_SOFT_MISMATCH);
		}
	}

	if (soak_rand(t, 2))
		soak_keep(t, soak_random_slot(t), p, size, ci);
	else
		soak_release(t->stat, &(struct soak_obj){ .p = p, .size = size, .ci = ci });
}

static const struct {
	unsigned int weight;
	void (*fn)(struct soak_thread *t);
} soak_ops[] = {
	{ 28, soak_op_alloc },
	{ 20, soak_op_free },
	{ 10, soak_op_handoff },
	{ 10, soak_op_bulk },
#ifdef SOAK_PREFILL
	{ 8, soak_op_prefill },
#endif
	{ 10, soak_op_rcu },
	{ 14, soak_op_node },
};

static void soak_one_op(struct soak_thread *t)
{
	unsigned int i, total = 0, r;

	for (i = 0; i < ARRAY_SIZE(soak_ops); i++)
		total += soak_ops[i].weight;
	r = soak_rand(t, total);
	for (i = 0; r >= soak_ops[i].weight; i++)
		r -= soak_ops[i].weight;
	soak_ops[i].fn(t);
}

static int soak_thread_fn(void *data)
{
	struct soak_thread *t = data;
	unsigned long iter = 0;

	/* below the guest's shell and load, so that they stay responsive */
	set_user_nice(current, 5);
#ifdef CONFIG_FAULT_INJECTION
	if (fail_pages)
		current->make_it_fail = 1;
#endif
	while (!kthread_should_stop()) {
		soak_one_op(t);
		cond_resched();
		if (!(++iter % 64))
			usleep_range(50, 100);
	}
	return 0;
}

/* The sums of the counts; approximate while the workers run. */
static void soak_sum(u64 *sum)
{
	unsigned int i, k;

	for (k = 0; k < NR_SOAK_STATS; k++)
		sum[k] = READ_ONCE(soak_misc_stat[k]);
	for (i = 0; soak_threads && i < soak_nr_threads; i++) {
		if (!soak_threads[i])
			continue;
		for (k = 0; k < NR_SOAK_STATS; k++)
			sum[k] += READ_ONCE(soak_threads[i]->stat[k]);
	}
}

/* Called with soak_mutex held (the buffers are static). */
static void soak_print_result(void)
{
	static char line[768], why[256];
	u64 sum[NR_SOAK_STATS];
	size_t len = 0, wlen = 0;
	int k;

	soak_sum(sum);
	for (k = 0; k < NR_SOAK_STATS; k++)
		len += scnprintf(line + len, sizeof(line) - len, " %s=%llu",
				 soak_stat_names[k], sum[k]);
	pr_info("SOAK-RESULT%s\n", line);

	why[0] = '\0';
	if (sum[ST_ALLOCATED] != sum[ST_FREED])
		wlen += scnprintf(why + wlen, sizeof(why) - wlen, ", allocated != freed");
	if (sum[ST_DOUBLE_ALLOC])
		wlen += scnprintf(why + wlen, sizeof(why) - wlen, ", double_alloc > 0");
	if (sum[ST_CORRUPT])
		wlen += scnprintf(why + wlen, sizeof(why) - wlen, ", corrupt > 0");
	if (sum[ST_NODE_BAD])
		wlen += scnprintf(why + wlen, sizeof(why) - wlen, ", node_bad > 0");
	if (sum[ST_PREFILL_BROKEN])
		wlen += scnprintf(why + wlen, sizeof(why) - wlen, ", prefill_broken > 0");
	if (atomic_read(&soak_memless_failed))
		wlen += scnprintf(why + wlen, sizeof(why) - wlen,
				  ", memoryless node allocation failed without fault injection");
	if (wlen)
		pr_info("SOAK-FAIL: %s\n", why + 2);
	else
		pr_info("SOAK-OK\n");
}

/* Free what the (stopped) workers hold and what is in the ring. */
static void soak_free_held(void)
{
	struct soak_obj o;
	unsigned int i, k;

	for (i = 0; soak_threads && i < soak_nr_threads; i++) {
		struct soak_thread *t = soak_threads[i];

		if (!t || !t->slots)
			continue;
		for (k = 0; k < soak_nr_slots; k++)
			if (t->slots[k].p)
				soak_release(t->stat, &t->slots[k]);
		cond_resched();
	}
	for (;;) {
		spin_lock(&soak_ring_lock);
		if (!soak_ring_count) {
			spin_unlock(&soak_ring_lock);
			break;
		}
		o = soak_ring[soak_ring_head];
		soak_ring_head = (soak_ring_head + 1) % SOAK_RING_SIZE;
		soak_ring_count--;
		spin_unlock(&soak_ring_lock);
		soak_release(soak_misc_stat, &o);
	}
}

/*
 * Stop the workers, give back every object, wait for kfree_rcu(), shrink
 * the caches and (if @report) print the result.  Once only.
 */
static void soak_stop(bool report)
{
	unsigned int i;

	mutex_lock(&soak_mutex);
	if (soak_stopped)
		goto out;
	/* every worker is gone before their slots are touched */
	for (i = 0; soak_threads && i < soak_nr_threads; i++)
		if (soak_threads[i] && soak_threads[i]->task)
			kthread_stop(soak_threads[i]->task);
	soak_free_held();
	kvfree_rcu_barrier();
	for (i = 0; i < SOAK_NR_CACHES; i++)
		if (soak_caches[i].s)
			kmem_cache_shrink(soak_caches[i].s);
	if (report)
		soak_print_result();
	WRITE_ONCE(soak_stopped, true);
out:
	mutex_unlock(&soak_mutex);
}

static ssize_t soak_control_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	char buf[16];

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	if (!sysfs_streq(buf, "stop"))
		return -EINVAL;
	soak_stop(true);
	return count;
}

static const struct file_operations soak_control_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.write	= soak_control_write,
	.llseek	= noop_llseek,
};

static int soak_stats_show(struct seq_file *m, void *unused)
{
	u64 sum[NR_SOAK_STATS];
	int k;

	soak_sum(sum);
	for (k = 0; k < NR_SOAK_STATS; k++)
		seq_printf(m, "%s%s=%llu", k ? " " : "", soak_stat_names[k], sum[k]);
	seq_printf(m, " threads=%u stopped=%d\n", soak_nr_threads, READ_ONCE(soak_stopped));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(soak_stats);

static int soak_create_caches(void)
{
	slab_flags_t extra = SLAB_NO_MERGE;
	struct soak_cache *c;
	struct kmem_cache *s;
	int i;

	for (i = 0; i < SOAK_NR_CACHES; i++) {
		c = &soak_caches[i];
#ifdef SLAB_SOAK_HAVE_SHEAVES
		s = kmem_cache_create(c->name, c->size,
				      &(struct kmem_cache_args){ .sheaf_capacity = c->capacity },
				      c->flags | extra);
#else
		s = kmem_cache_create(c->name, c->size, 0, c->flags | extra, NULL);
#endif
		if (IS_ERR_OR_NULL(s))
			return -ENOMEM;
		c->s = s;
	}
	return 0;
}

static void soak_destroy_caches(void)
{
	int i;

	for (i = 0; i < SOAK_NR_CACHES; i++) {
		kmem_cache_destroy(soak_caches[i].s);
		soak_caches[i].s = NULL;
	}
}

static int soak_alloc_threads(void)
{
	struct soak_thread *t;
	unsigned int i;

	soak_threads = kcalloc(soak_nr_threads, sizeof(*soak_threads), GFP_KERNEL);
	if (!soak_threads)
		return -ENOMEM;
	for (i = 0; i < soak_nr_threads; i++) {
		t = kzalloc(sizeof(*t), GFP_KERNEL);
		if (!t)
			return -ENOMEM;
		soak_threads[i] = t;
		t->slots = kvcalloc(soak_nr_slots, sizeof(*t->slots), GFP_KERNEL);
		t->objs = kcalloc(SOAK_OBJS_MAX, sizeof(*t->objs), GFP_KERNEL);
		if (!t->slots || !t->objs)
			return -ENOMEM;
		spin_lock_init(&t->lock);
		prandom_seed_state(&t->rnd, seed + i);
	}
	return 0;
}

static void soak_free_threads(void)
{
	unsigned int i;

	for (i = 0; soak_threads && i < soak_nr_threads; i++) {
		if (!soak_threads[i])
			continue;
		kvfree(soak_threads[i]->slots);
		kfree(soak_threads[i]->objs);
		kfree(soak_threads[i]);
	}
	kfree(soak_threads);
	soak_threads = NULL;
}

/* Undo everything; the result is printed only if @report. */
static void soak_cleanup(bool report)
{
	debugfs_remove_recursive(soak_dir);
	soak_dir = NULL;
	soak_stop(report);
	if (soak_memhp_registered)
		unregister_memory_notifier(&soak_memhp_nb);
	soak_memhp_registered = false;
	soak_free_threads();
	soak_destroy_caches();
}

static int soak_create_debugfs(void)
{
	struct dentry *d;

	soak_dir = debugfs_create_dir("slab_soak", NULL);
	if (IS_ERR(soak_dir)) {
		d = soak_dir;
		soak_dir = NULL;
		return PTR_ERR(d);
	}
	d = debugfs_create_file("control", 0200, soak_dir, NULL, &soak_control_fops);
	if (IS_ERR(d))
		return PTR_ERR(d);
	d = debugfs_create_file("stats", 0444, soak_dir, NULL, &soak_stats_fops);
	if (IS_ERR(d))
		return PTR_ERR(d);
	return 0;
}

static int __init soak_init(void)
{
	struct task_struct *task;
	unsigned int i;
	int ret;

	BUILD_BUG_ON(sizeof(struct soak_rcu_obj) != SOAK_RCU_OBJ_SIZE);
	if (threads < 0 || threads > SOAK_MAX_THREADS || slots < 1 || slots > SOAK_MAX_SLOTS)
		return -EINVAL;
	soak_nr_threads = threads ?: min(2 * num_online_cpus(), SOAK_MAX_THREADS);
	soak_nr_slots = slots;
	soak_gfp = GFP_KERNEL | (nowarn ? __GFP_NOWARN : 0);
#ifndef CONFIG_FAULT_INJECTION
	if (fail_pages)
		pr_info("slab_soak: fail_pages ignored: no CONFIG_FAULT_INJECTION\n");
#endif

	ret = soak_create_caches();
	if (ret)
		goto fail;
	ret = soak_alloc_threads();
	if (ret)
		goto fail;
	ret = register_memory_notifier(&soak_memhp_nb);
	if (ret)
		goto fail;
	soak_memhp_registered = true;
	for (i = 0; i < soak_nr_threads; i++) {
		task = kthread_run(soak_thread_fn, soak_threads[i], "slab_soak/%u", i);
		if (IS_ERR(task)) {
			ret = PTR_ERR(task);
			goto fail;
		}
		soak_threads[i]->task = task;
	}
	ret = soak_create_debugfs();
	if (ret)
		goto fail;
	pr_info("slab_soak: %u threads, %u slots each, seed %lu, %d caches%s%s%s\n",
		soak_nr_threads, soak_nr_slots, seed, SOAK_NR_CACHES,
		failslab ? ", failslab" : "", fail_pages ? ", fail_pages" : "",
		nowarn ? ", nowarn" : "");
	return 0;

fail:
	soak_cleanup(false);
	return ret;
}

static void __exit soak_exit(void)
{
	soak_cleanup(true);
}

module_init(soak_init);
module_exit(soak_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Slab allocator stress driver for the sheaves soak test");
