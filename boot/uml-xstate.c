// SPDX-License-Identifier: GPL-2.0
/*
 * uml-xstate.c: lets a 6.12 User-Mode Linux kernel run its user space on a
 * host whose XSAVE area is bigger than UML's copy of it.
 *
 * UML keeps each process's FPU state in a buffer sized for the largest area
 * it knew of (2696 bytes: x87, SSE, AVX, AVX-512, PKRU) and moves it with
 * PTRACE_GETREGSET / PTRACE_SETREGSET (NT_X86_XSTATE).  The host kernel
 * truncates a short GETREGSET but refuses a SETREGSET that is not exactly
 * its own size (xstateregs_set(): -EFAULT).  On a host with AMX the area is
 * 11008 bytes, so 6.12's UML cannot set any process's registers and kills
 * every user process at its first switch (init dies with SIGSEGV, exit code
 * 0x0b, before it prints a line), 6.12 and the patched kernel alike.
 * Upstream UML later learnt the host's size itself; 6.12 did not.
 *
 * boot/boot.sh preloads this library into the UML binary (LD_PRELOAD).  It
 * wraps ptrace(): a short NT_X86_XSTATE GETREGSET reads the whole area and
 * gives the caller its part; a short SETREGSET sends the caller's part with
 * the rest zeroed, which is the init state of the components beyond it (AMX
 * tile config and data).  A UML process cannot have live state there: the
 * tile data needs a permission request (arch_prctl ARCH_REQ_XCOMP_PERM) that
 * only the UML kernel itself could make, and it does not.  Every other
 * request, and every NT_X86_XSTATE request of the host's size or more, goes
 * to the C library's ptrace() unchanged: on a host whose area fits UML's
 * buffer the library changes nothing.
 *
 * UML calls ptrace() from one host thread at a time (6.12's UML is
 * uniprocessor); a mutex makes the shared buffer safe all the same.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/uio.h>

#ifndef NT_X86_XSTATE
#define NT_X86_XSTATE 0x202
#endif

/* Far above any XSAVE area an x86 CPU has (AMX: 11008 bytes). */
#define AREA_MAX 65536

typedef long (*ptrace_fn)(enum __ptrace_request request, ...);

static unsigned char area[AREA_MAX];
static size_t host_size;	/* bytes of the host's area; 0: not read yet */
static pthread_mutex_t area_lock = PTHREAD_MUTEX_INITIALIZER;

static ptrace_fn real_ptrace(void)
{
	static ptrace_fn fn;

	if (!fn) {
		fn = (ptrace_fn)dlsym(RTLD_NEXT, "ptrace");
		if (!fn) {
			fprintf(stderr, "uml-xstate: no ptrace() in the C library: %s\n",
				dlerror());
			abort();
		}
	}
	return fn;
}

/* Read PID's whole area into area[]; on success host_size is its size. */
static long get_whole(pid_t pid)
{
	struct iovec whole = { .iov_base = area, .iov_len = sizeof(area) };
	long ret;

	ret = real_ptrace()(PTRACE_GETREGSET, pid, (void *)NT_X86_XSTATE, &whole);
	if (!ret)
		host_size = whole.iov_len;
	return ret;
}

static long xstate_regset(enum __ptrace_request request, pid_t pid,
			  struct iovec *iov)
{
	size_t len = iov->iov_len;
	struct iovec whole;
	long ret;
	int err;

	pthread_mutex_lock(&area_lock);
	if (request == PTRACE_GETREGSET) {
		ret = get_whole(pid);
		if (!ret) {
			if (len > host_size)
				len = host_size;
			memcpy(iov->iov_base, area, len);
			iov->iov_len = len;
		}
	} else {
		ret = host_size ? 0 : get_whole(pid);
		if (!ret && len >= host_size) {
			/* It was the whole area after all. */
			ret = real_ptrace()(PTRACE_SETREGSET, pid,
					    (void *)NT_X86_XSTATE, iov);
		} else if (!ret) {
			memcpy(area, iov->iov_base, len);
			memset(area + len, 0, host_size - len);
			whole.iov_base = area;
			whole.iov_len = host_size;
			ret = real_ptrace()(PTRACE_SETREGSET, pid,
					    (void *)NT_X86_XSTATE, &whole);
		}
	}
	err = errno;
	pthread_mutex_unlock(&area_lock);
	errno = err;
	return ret;
}

long ptrace(enum __ptrace_request request, ...)
{
	struct iovec *iov;
	void *addr, *data;
	va_list ap;
	pid_t pid;

	va_start(ap, request);
	pid = va_arg(ap, pid_t);
	addr = va_arg(ap, void *);
	data = va_arg(ap, void *);
	va_end(ap);

	iov = data;
	if ((request == PTRACE_GETREGSET || request == PTRACE_SETREGSET) &&
	    (unsigned long)addr == NT_X86_XSTATE && iov &&
	    (!host_size || iov->iov_len < host_size) &&
	    iov->iov_len <= AREA_MAX)
		return xstate_regset(request, pid, iov);
	return real_ptrace()(request, pid, addr, data);
}
