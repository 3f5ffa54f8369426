# Guest job: /bin/bpf-timer (boot/guest/bpf-timer.c, built on the host)
# calls bpf_timer_init() from a BPF program 200 times, each on a new map:
# the kernel allocates the timer in __bpf_async_init() with
# kmalloc_nolock() and frees it with kfree_rcu() when the map goes.  Fails
# when a round fails or the console shows a splat.
# shellcheck source=lib.sh # /guest/lib.sh in the initramfs
. /guest/lib.sh
fail=0
section "bpf-timer"
bpf-timer || fail=1
section "splat scan"
n=$(dmesg | grep -cE "$SPLAT")
echo "splats: $n"
[ "$n" = 0 ] && [ "$fail" = 0 ]
