# Guest job: a short workload under the debug kernel, then a scan of the
# kernel log for splats.  Fails when any splat was logged.
# shellcheck source=lib.sh # /guest/lib.sh in the initramfs
. /guest/lib.sh
section "cmdline: $(cat /proc/cmdline)"
# shellcheck disable=SC2012 # module file names, sorted (no module: none)
for m in $(ls /extra 2>/dev/null | sed -n 's/\.ko$//p'); do
	[ "$m" = slab_bench ] || load_module "$m"
done
fail=0
# hackbench is the host's (x86_64) program: an arm64 guest has none and
# says so; anywhere else a missing hackbench fails the job.
if [ "$(uname -m)" = aarch64 ] && ! command -v hackbench >/dev/null; then
	section "hackbench: not in an arm64 guest (the host's program is x86_64): skipped"
else
	section "hackbench sockets/processes"
	hackbench -g "${hb_groups:-4}" -l "${hb_loops:-200}" || { echo "hackbench failed rc=$?"; fail=1; }
	section "hackbench pipes/threads"
	hackbench -p -T -g "${hb_groups:-4}" -l "${hb_loops:-200}" || { echo "hackbench failed rc=$?"; fail=1; }
fi
section "fork/exit loop"
i=0
while [ $i -lt "${fork_loops:-200}" ]; do /bin/true; i=$((i + 1)); done
section "meminfo"
grep -E '^(MemTotal|Slab|SReclaimable|SUnreclaim):' /proc/meminfo
section "slab summary"
slab_summary
if [ -r /proc/lockdep_stats ]; then
	section "lockdep"
	grep -E 'lock-classes|dependency chains|debug_locks' /proc/lockdep_stats
fi
# A kfree_rcu() storm on a cache with sheaves (the benchmark module's
# kfree_rcu_sheaf case), with kmemleak scans while objects wait in RCU
# sheaves for longer than kmemleak's minimum age (5 s) and after it.
if [ -f /extra/slab_bench.ko ]; then
	section "kfree_rcu storm"
	insmod /extra/slab_bench.ko cases=kfree_rcu_sheaf reps="${storm_reps:-3}" \
		scale="${storm_scale:-10}" &
	storm=$!
	sleep 6
	[ -w /sys/kernel/debug/kmemleak ] && echo scan > /sys/kernel/debug/kmemleak
	wait $storm
	[ "$(dmesg | grep -c 'SLAB_BENCH_END')" = 1 ] || { echo "slab_bench did not run"; fail=1; }
	dmesg | grep 'SLAB_BENCH .*kfree_rcu' | sed 's/.*SLAB_BENCH /storm: /'
fi
if [ -w /sys/kernel/debug/kmemleak ]; then
	section "kmemleak scan"
	sleep 6
	echo scan > /sys/kernel/debug/kmemleak
	n=$(grep -c '^unreferenced object' /sys/kernel/debug/kmemleak)
	echo "kmemleak: $n unreferenced objects"
	[ "$n" = 0 ] || { head -40 /sys/kernel/debug/kmemleak; fail=1; }
fi
section "splat scan"
n=$(dmesg | grep -cE "$SPLAT")
echo "splats: $n"
[ "$n" = 0 ] && [ "$fail" = 0 ]
