// SPDX-License-Identifier: GPL-2.0
/*
 * bpf-timer: run bpf_timer_init() from a BPF program, without libbpf or
 * bpftool, so that the guest exercises the allocation of
 * kernel/bpf/helpers.c:__bpf_async_init(), which uses kmalloc_nolock().
 *
 * It loads the BTF of a map value that holds a struct bpf_timer, creates
 * an array map of one such value, loads a socket filter that looks the
 * value up and calls bpf_timer_init() on it, and runs the filter with
 * BPF_PROG_TEST_RUN: the first run must initialise the timer (0), the
 * second must find it initialised (-EBUSY).  Closing the map frees the
 * timer (through kfree_rcu()).  That is repeated ROUNDS times.
 *
 * Built on the host (gates/test.sh), run in the guest as /bin/bpf-timer.
 * Prints "bpf-timer: N of N rounds passed" and exits 0, or names the
 * failing step and exits 1.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <linux/btf.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define ROUNDS	200

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

/*
 * The BTF: [1] int, [2] unsigned long long, [3] struct bpf_timer (16
 * bytes, the size and the name are what the kernel looks for), [4] struct
 * map_value { struct bpf_timer t; }.
 */
static const char btf_strings[] =
	"\0int\0unsigned long long\0bpf_timer\0a\0b\0map_value\0t";
#define STR_INT		1
#define STR_ULL		5
#define STR_TIMER	24
#define STR_A		34
#define STR_B		36
#define STR_VALUE	38
#define STR_T		48

static const uint32_t btf_types[] = {
	/* [1] int */
	STR_INT, BTF_KIND_INT << 24, 4, (BTF_INT_SIGNED << 24) | 32,
	/* [2] unsigned long long */
	STR_ULL, BTF_KIND_INT << 24, 8, 64,
	/* [3] struct bpf_timer { unsigned long long a, b; } */
	STR_TIMER, (BTF_KIND_STRUCT << 24) | 2, 16,
	STR_A, 2, 0,
	STR_B, 2, 64,
	/* [4] struct map_value { struct bpf_timer t; } */
	STR_VALUE, (BTF_KIND_STRUCT << 24) | 1, 16,
	STR_T, 3, 0,
};

static int load_btf(char *log, size_t log_size)
{
	static unsigned char blob[sizeof(struct btf_header) + sizeof(btf_types) +
				  sizeof(btf_strings)];
	struct btf_header hdr = {
		.magic = BTF_MAGIC,
		.version = BTF_VERSION,
		.hdr_len = sizeof(hdr),
		.type_off = 0,
		.type_len = sizeof(btf_types),
		.str_off = sizeof(btf_types),
		.str_len = sizeof(btf_strings),
	};
	union bpf_attr attr;

	memcpy(blob, &hdr, sizeof(hdr));
	memcpy(blob + sizeof(hdr), btf_types, sizeof(btf_types));
	memcpy(blob + sizeof(hdr) + sizeof(btf_types), btf_strings,
	       sizeof(btf_strings));
	memset(&attr, 0, sizeof(attr));
	attr.btf = (uintptr_t)blob;
	attr.btf_size = sizeof(blob);
	attr.btf_log_buf = (uintptr_t)log;
	attr.btf_log_size = log_size;
	attr.btf_log_level = 1;
	return sys_bpf(BPF_BTF_LOAD, &attr);
}

static int create_map(int btf_fd)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = 16;
	attr.max_entries = 1;
	attr.btf_fd = btf_fd;
	attr.btf_key_type_id = 1;
	attr.btf_value_type_id = 4;
	return sys_bpf(BPF_MAP_CREATE, &attr);
}

#define INSN(c, d, s, o, i) \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), \
			    .off = (o), .imm = (i) })

static int load_prog(int map_fd, char *log, size_t log_size)
{
	const struct bpf_insn insns[] = {
		/* *(u32 *)(r10 - 4) = 0: the key */
		INSN(BPF_ST | BPF_MEM | BPF_W, BPF_REG_10, 0, -4, 0),
		/* r2 = r10 - 4 */
		INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0),
		INSN(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, -4),
		/* r1 = the map */
		INSN(BPF_LD | BPF_DW | BPF_IMM, BPF_REG_1, BPF_PSEUDO_MAP_FD, 0,
		     map_fd),
		INSN(0, 0, 0, 0, 0),
		INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem),
		/* if (!r0) return 99 */
		INSN(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_0, 0, 2, 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 99),
		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
		/* return bpf_timer_init(&value->t, map, CLOCK_MONOTONIC) */
		INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_0, 0, 0),
		INSN(BPF_LD | BPF_DW | BPF_IMM, BPF_REG_2, BPF_PSEUDO_MAP_FD, 0,
		     map_fd),
		INSN(0, 0, 0, 0, 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_3, 0, 0, 1),
		INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_timer_init),
		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	static const char license[] = "GPL";
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insns = (uintptr_t)insns;
	attr.insn_cnt = sizeof(insns) / sizeof(insns[0]);
	attr.license = (uintptr_t)license;
	attr.log_buf = (uintptr_t)log;
	attr.log_size = log_size;
	attr.log_level = 1;
	return sys_bpf(BPF_PROG_LOAD, &attr);
}

/* Run the filter once on a dummy packet; its return value in *retval. */
static int run_prog(int prog_fd, uint32_t *retval)
{
	unsigned char packet[64] = { 0 };
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = prog_fd;
	attr.test.data_in = (uintptr_t)packet;
	attr.test.data_size_in = sizeof(packet);
	attr.test.repeat = 1;
	if (sys_bpf(BPF_PROG_TEST_RUN, &attr))
		return -1;
	*retval = attr.test.retval;
	return 0;
}

static char log_buf[65536];

int main(void)
{
	int btf_fd, passed = 0, round;

	btf_fd = load_btf(log_buf, sizeof(log_buf));
	if (btf_fd < 0) {
		printf("bpf-timer: BPF_BTF_LOAD failed: %s\n%s\n",
		       strerror(errno), log_buf);
		return 1;
	}
	for (round = 0; round < ROUNDS; round++) {
		uint32_t first, second;
		int map_fd, prog_fd;

		map_fd = create_map(btf_fd);
		if (map_fd < 0) {
			printf("bpf-timer: BPF_MAP_CREATE failed: %s\n",
			       strerror(errno));
			return 1;
		}
		log_buf[0] = 0;
		prog_fd = load_prog(map_fd, log_buf, sizeof(log_buf));
		if (prog_fd < 0) {
			printf("bpf-timer: BPF_PROG_LOAD failed: %s\n%s\n",
			       strerror(errno), log_buf);
			return 1;
		}
		if (run_prog(prog_fd, &first) || run_prog(prog_fd, &second)) {
			printf("bpf-timer: BPF_PROG_TEST_RUN failed: %s\n",
			       strerror(errno));
			return 1;
		}
		if (first == 0 && second == (uint32_t)-EBUSY)
			passed++;
		else
			printf("bpf-timer: round %d: bpf_timer_init() gave %d, then %d (want 0, then %d)\n",
			       round, (int)first, (int)second, -EBUSY);
		close(prog_fd);
		close(map_fd);
	}
	close(btf_fd);
	printf("bpf-timer: %d of %d rounds passed\n", passed, ROUNDS);
	return passed == ROUNDS ? 0 : 1;
}
