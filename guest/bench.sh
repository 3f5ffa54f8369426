# Guest job for scripts/bench.sh: the slab_bench module, then the guest
# workloads, with Slab/SUnreclaim before and after.  Parameters arrive as
# kernel command line variables: bench_cases, bench_reps, bench_scale,
# bench_workloads (0 to skip), hb_groups, hb_loops, loops_n.
. /guest/lib.sh
meminfo() {
	for k in Slab SUnreclaim; do
		v=$(sed -n "s/^$k: *\([0-9]*\) kB/\1/p" /proc/meminfo)
		echo "WORKLOAD {\"case\":\"meminfo_${k}_$1\",\"unit\":\"kB\",\"value\":$v}"
	done
}
meminfo boot
rc=0
if [ -f /extra/slab_bench.ko ]; then
	# The module runs every case at load time; it is unloaded afterwards.
	insmod /extra/slab_bench.ko cases="${bench_cases:-all}" \
		reps="${bench_reps:-5}" scale="${bench_scale:-20}" || rc=1
	[ "$(dmesg | grep -c 'SLAB_BENCH_END')" = 1 ] || { echo "slab_bench did not run exactly once"; rc=1; }
	rmmod slab_bench || rc=1
fi
if [ "${bench_workloads:-1}" != 0 ]; then
	t=$(hackbench -g "${hb_groups:-4}" -l "${hb_loops:-200}" | sed -n 's/^Time: //p')
	echo "WORKLOAD {\"case\":\"hackbench_proc_sock\",\"unit\":\"s\",\"value\":${t:-0}}"
	t=$(hackbench -p -T -g "${hb_groups:-4}" -l "${hb_loops:-200}" | sed -n 's/^Time: //p')
	echo "WORKLOAD {\"case\":\"hackbench_thr_pipe\",\"unit\":\"s\",\"value\":${t:-0}}"
	loops fork "${loops_n:-500}" || rc=1
	loops exec "${loops_n:-500}" || rc=1
	loops mmap "$((${loops_n:-500} * 4))" || rc=1
fi
meminfo after
exit $rc
