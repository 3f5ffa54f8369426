// SPDX-License-Identifier: GPL-2.0
/*
 * tbprof: a QEMU TCG plugin that counts the guest instructions executed
 * per translation block, for the guest kernel's code only (addresses in
 * the upper half), and writes them at exit, one block per line:
 *
 *     START_ADDRESS_HEX INSTRUCTIONS EXECUTIONS
 *
 * bench/profile.py turns that into instructions per kernel function
 * (System.map), and compares two kernels.  The counters are added by
 * code QEMU inlines into each block (no callback per execution), so a
 * boot under the plugin runs at nearly TCG's usual speed, and under
 * -icount the counts do not depend on the host at all.
 *
 * Load: qemu-system-x86_64 ... -plugin tbprof.so,out=FILE
 * Build: bench/tbprof.sh (it needs QEMU's public plugin header).
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

/* Blocks are keyed by start address and length: a block translated again
 * after a TLB flush or a code change shares its counter.
 */
struct block {
	uint64_t pc;
	uint64_t execs;
	uint64_t insns;
};

#define SLOTS_SHIFT	22
#define SLOTS		(1UL << SLOTS_SHIFT)
/* Kernel text on x86_64 and arm64 lies in the upper half. */
#define KERNEL_START	0xffff000000000000ULL

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t *keys;
static struct block **blocks;
static unsigned long nr_blocks;
static char out_path[4096];

/* Open addressing; the table never fills (a boot translates far fewer). */
static struct block *block_get(uint64_t pc, uint64_t insns)
{
	uint64_t key = (pc << 8) ^ insns;
	unsigned long h = (key * 0x9E3779B97F4A7C15ULL) >> (64 - SLOTS_SHIFT);

	for (;; h = (h + 1) & (SLOTS - 1)) {
		if (!blocks[h]) {
			if (nr_blocks >= SLOTS / 2)
				return NULL;
			blocks[h] = calloc(1, sizeof(*blocks[h]));
			if (!blocks[h])
				return NULL;
			keys[h] = key;
			blocks[h]->pc = pc;
			blocks[h]->insns = insns;
			nr_blocks++;
			return blocks[h];
		}
		if (keys[h] == key)
			return blocks[h];
	}
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	uint64_t pc = qemu_plugin_tb_vaddr(tb);
	struct block *b;

	if (pc < KERNEL_START)
		return;
	pthread_mutex_lock(&lock);
	b = block_get(pc, qemu_plugin_tb_n_insns(tb));
	pthread_mutex_unlock(&lock);
	if (b)
		qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
							 &b->execs, 1);
}

static void at_exit(qemu_plugin_id_t id, void *data)
{
	FILE *f = fopen(out_path, "w");
	unsigned long i;

	if (!f) {
		fprintf(stderr, "tbprof: cannot write %s\n", out_path);
		return;
	}
	pthread_mutex_lock(&lock);
	for (i = 0; i < SLOTS; i++) {
		struct block *b = blocks[i];

		if (b && b->execs)
			fprintf(f, "%016" PRIx64 " %" PRIu64 " %" PRIu64 "\n",
				b->pc, b->insns, b->execs);
	}
	if (nr_blocks >= SLOTS / 2)
		fprintf(stderr, "tbprof: block table full, later blocks not counted\n");
	pthread_mutex_unlock(&lock);
	fclose(f);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
					   int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		if (strncmp(argv[i], "out=", 4) || !argv[i][4]) {
			fprintf(stderr, "tbprof: unknown argument '%s' (want out=FILE)\n", argv[i]);
			return -1;
		}
		snprintf(out_path, sizeof(out_path), "%s", argv[i] + 4);
	}
	if (!out_path[0]) {
		fprintf(stderr, "tbprof: no out=FILE argument\n");
		return -1;
	}
	keys = calloc(SLOTS, sizeof(*keys));
	blocks = calloc(SLOTS, sizeof(*blocks));
	if (!keys || !blocks) {
		fprintf(stderr, "tbprof: out of memory\n");
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
