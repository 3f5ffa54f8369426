// SPDX-License-Identifier: GPL-2.0
/*
 * loops: guest workloads for the slab benchmark, built static on the host.
 *
 *   loops fork N         fork + exit + wait, N times
 *   loops exec N         fork + execve(/bin/true) + wait, N times
 *   loops mmap N [P]     P processes (default: online CPUs), each mapping
 *                        and unmapping 128 MiB of anonymous memory N times
 *                        (will-it-scale mmap2 style: VMA and maple tree
 *                        nodes come from the slab allocator)
 *
 * Prints one line: WORKLOAD {"case":"...","unit":"...","value":V}
 * Exit: 0 ok, 2 usage, 1 a system call failed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int usage(void)
{
	fprintf(stderr, "usage: loops fork|exec N | loops mmap N [PROCS]\n");
	return 2;
}

static int wait_ok(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
		return -1;
	return 0;
}

static int do_fork(long n, int exec)
{
	char *argv[] = { "/bin/true", NULL };
	double t0 = now();
	long i;

	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (!pid) {
			if (exec)
				execv(argv[0], argv);
			_exit(exec ? 127 : 0);
		}
		if (wait_ok(pid)) {
			fprintf(stderr, "child failed\n");
			return 1;
		}
	}
	printf("WORKLOAD {\"case\":\"%s\",\"unit\":\"us/op\",\"value\":%.2f}\n",
	       exec ? "exec" : "fork", (now() - t0) * 1e6 / n);
	return 0;
}

static int do_mmap(long n, long procs)
{
	const size_t len = 128UL << 20;
	double t0 = now();
	long p, i;

	for (p = 0; p < procs; p++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (!pid) {
			for (i = 0; i < n; i++) {
				void *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
					       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

				if (m == MAP_FAILED || munmap(m, len))
					_exit(1);
			}
			_exit(0);
		}
	}
	for (p = 0; p < procs; p++) {
		int st;

		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
			fprintf(stderr, "mmap child failed\n");
			return 1;
		}
	}
	printf("WORKLOAD {\"case\":\"mmap_x%ld\",\"unit\":\"ops/s\",\"value\":%.0f}\n",
	       procs, n * procs / (now() - t0));
	return 0;
}

int main(int argc, char **argv)
{
	long n;
	char *end;

	if (argc < 3)
		return usage();
	n = strtol(argv[2], &end, 10);
	if (*end || n <= 0)
		return usage();
	if (!strcmp(argv[1], "fork"))
		return do_fork(n, 0);
	if (!strcmp(argv[1], "exec"))
		return do_fork(n, 1);
	if (!strcmp(argv[1], "mmap")) {
		long procs = argc > 3 ? strtol(argv[3], &end, 10) :
					sysconf(_SC_NPROCESSORS_ONLN);

		if (argc > 3 && (*end || procs <= 0))
			return usage();
		return do_mmap(n, procs);
	}
	return usage();
}
