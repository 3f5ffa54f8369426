// SPDX-License-Identifier: GPL-2.0
/*
 * For t-uml-xstate.sh: trace a stopped child and move its XSAVE area with
 * a buffer of half the host's size, as 6.12's UML does where the host's
 * area is bigger than its buffer.  Prints one line per step; exit 0 only
 * if every step behaved as the mode says: "plain" (no boot/uml-xstate.c:
 * the short SETREGSET must fail with EFAULT) or "shim" (preloaded: it must
 * work, and a short GETREGSET must return the area's first bytes).  Exit 77
 * if the host has no XSAVE regset.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>

#ifndef NT_X86_XSTATE
#define NT_X86_XSTATE 0x202
#endif

static unsigned char whole[65536], part[65536];

static long regset(int req, pid_t pid, void *buf, size_t *len)
{
	struct iovec iov = { .iov_base = buf, .iov_len = *len };
	long ret = ptrace(req, pid, (void *)NT_X86_XSTATE, &iov);

	*len = iov.iov_len;
	return ret;
}

int main(int argc, char **argv)
{
	int shim = argc > 1 && !strcmp(argv[1], "shim");
	size_t size = sizeof(whole), half, len;
	int ok = 1, status;
	long ret;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return 1;
	if (!pid) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raise(SIGSTOP);
		_exit(0);
	}
	waitpid(pid, &status, 0);

	if (regset(PTRACE_GETREGSET, pid, whole, &size)) {
		printf("no XSAVE regset on this host: %s\n", strerror(errno));
		kill(pid, SIGKILL);
		return 77;
	}
	/* Half the area, a multiple of 8 bytes, at least the legacy part. */
	half = (size / 2) & ~7UL;
	if (half < 576)
		half = 576;
	printf("host area %zu bytes, the caller's buffer %zu\n", size, half);

	/* Change xmm0 (bytes 160..175 of the legacy area) and set it. */
	memcpy(part, whole, half);
	memset(part + 160, 0x5a, 16);
	len = half;
	ret = regset(PTRACE_SETREGSET, pid, part, &len);
	if (shim) {
		printf("short set: %s\n", ret ? strerror(errno) : "done");
		ok &= !ret;
	} else {
		printf("short set: %s\n", ret ? strerror(errno) : "done (host took it)");
		ok &= (ret && errno == EFAULT) || half >= size;
	}

	/* A short read gives the first bytes of the area. */
	memset(part, 0, sizeof(part));
	len = half;
	ret = regset(PTRACE_GETREGSET, pid, part, &len);
	size = sizeof(whole);
	ret |= regset(PTRACE_GETREGSET, pid, whole, &size);
	printf("short get: %s, %zu bytes\n", ret ? strerror(errno) : "done", len);
	ok &= !ret && len == half && !memcmp(part, whole, half);
	if (shim) {
		ok &= whole[160] == 0x5a && whole[175] == 0x5a;
		printf("xmm0 after the short set: %s\n",
		       whole[160] == 0x5a ? "the value set" : "not the value set");
	}

	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	printf("%s\n", ok ? "ok" : "WRONG");
	return ok ? 0 : 1;
}
