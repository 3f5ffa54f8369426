# Guest job: a short workload under the debug kernel, then a scan of the
# kernel log for splats.  Fails when any splat was logged.
. /guest/lib.sh
section "cmdline: $(cat /proc/cmdline)"
for m in $(ls /extra 2>/dev/null | sed -n 's/\.ko$//p'); do load_module "$m"; done
fail=0
section "hackbench sockets/processes"
hackbench -g "${hb_groups:-4}" -l "${hb_loops:-200}" || { echo "hackbench failed rc=$?"; fail=1; }
section "hackbench pipes/threads"
hackbench -p -T -g "${hb_groups:-4}" -l "${hb_loops:-200}" || { echo "hackbench failed rc=$?"; fail=1; }
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
if [ -w /sys/kernel/debug/kmemleak ]; then
	section "kmemleak scan"
	echo scan > /sys/kernel/debug/kmemleak
	n=$(grep -c '^unreferenced object' /sys/kernel/debug/kmemleak)
	echo "kmemleak: $n unreferenced objects"
fi
section "splat scan"
n=$(dmesg | grep -cE "$SPLAT")
echo "splats: $n"
[ "$n" = 0 ] && [ "$fail" = 0 ]
