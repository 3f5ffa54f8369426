# Guest job for bench/bench.sh: the slab_bench module, then the guest
# workloads, with Slab/SUnreclaim before, after, and after 12 s idle.
# Parameters arrive as kernel command line variables: bench_cases,
# bench_reps, bench_scale, bench_workloads (0 to skip), bench_lockstat (1:
# lock counts only, see below), bench_tune (CACHE/FILE=VALUE,...: written
# to /sys/kernel/slab first; bench.sh --mode tune), hb_groups, hb_loops,
# loops_n, bench_rcuscale (1: rcuscale's kfree_rcu() test only, see below)
# with rcuscale_loops.
# shellcheck source=lib.sh # /guest/lib.sh in the initramfs
. /guest/lib.sh
meminfo() {
	for k in Slab SUnreclaim; do
		v=$(sed -n "s/^$k: *\([0-9]*\) kB/\1/p" /proc/meminfo)
		echo "WORKLOAD {\"case\":\"meminfo_${k}_$1\",\"unit\":\"kB\",\"value\":$v}"
	done
}
# Lock acquisition counts (bench_lockstat=1: bench/bench.sh --backend
# lockstat, a kernel with CONFIG_LOCK_STAT).  Per case, the acquisitions of
# the node list_lock and of the barn lock while the module runs that case
# once, per 1000 of its operations; per workload, per run.  No timings.
lockcount() { # lockcount CLASS: acquisitions of that lock class
	awk -v c="$1:" '$1 == c { n += $9 } END { print n + 0 }' /proc/lock_stat
}
locksnap() { # locksnap: the counts since the last clear, into ll and bl
	ll=$(lockcount '&n->list_lock')
	bl=$(lockcount '&barn->lock')
}
lockreport() { # lockreport CASE UNIT MULT DIV: ll and bl as UNIT (x MULT / DIV)
	for k in list_lock:$ll barn_lock:$bl locks:$((ll + bl)); do
		v=$(awk -v a="${k#*:}" -v m="$3" -v d="$4" 'BEGIN { printf "%.2f", a * m / d }')
		echo "WORKLOAD {\"case\":\"$1:${k%%:*}\",\"unit\":\"$2\",\"value\":$v}"
	done
}
meminfo boot
rc=0
# The sysfs settings of --mode tune: each must be taken, or the boot fails.
# CACHE "*" is every cache that has sheaves (sheaf_capacity above 0; a
# merged alias is the same cache, so symlinks are left out).
# The settings, split at commas without expanding the "*" in them.
set -f
# shellcheck disable=SC2046 # split on purpose: the settings have no spaces
set -- $(echo "${bench_tune:-}" | tr , ' ')
set +f
for t in "$@"; do
	if [ "${t%%/*}" = '*' ]; then
		n=0
		for d in /sys/kernel/slab/*; do
			[ -L "$d" ] && continue
			c=0
			read -r c <"$d/sheaf_capacity" 2>/dev/null
			[ "${c:-0}" -gt 0 ] 2>/dev/null || continue
			f=$d/${t#*/}
			f=${f%%=*}
			echo "${t#*=}" >"$f" || { echo "bench_tune: the kernel refused ${t#*=} for $f"; exit 1; }
			n=$((n + 1))
		done
		[ $n -gt 0 ] || { echo "bench_tune: no cache with sheaves for $t"; exit 1; }
		echo "TUNE *: ${t#*/} on $n caches with sheaves"
		continue
	fi
	f=/sys/kernel/slab/${t%%=*}
	old=$(cat "$f" 2>/dev/null) || { echo "bench_tune: no $f"; exit 1; }
	echo "${t#*=}" >"$f" || { echo "bench_tune: the kernel refused ${t#*=} for $f"; exit 1; }
	new=$(cat "$f")
	echo "TUNE ${t%%=*}: ${old%% *} -> ${new%% *}"
done
# rcuscale's kfree_rcu() test (bench.sh --backend rcuscale, a kernel with
# CONFIG_RCU_SCALE_TEST=m): one kthread per CPU allocates kfree_alloc_num
# objects and frees them with kfree_rcu(), rcuscale_loops times; the module
# prints the time all of them took (under icount: instructions), the grace
# periods that passed and how far MemAvailable fell while they ran (its
# "memory footprint", in MB).  Nothing else runs in such a boot.
if [ "${bench_rcuscale:-0}" = 1 ]; then
	# Let the boot's own frees (init memory, RCU callbacks) finish first:
	# they would count as memory the test gave back.
	sleep 5
	insmod /extra/torture.ko || exit 1
	insmod /extra/rcuscale.ko kfree_rcu_test=1 holdoff=1 \
		kfree_loops="${rcuscale_loops:-40}" || exit 1
	line=
	i=0
	while [ $i -lt 600 ]; do
		line=$(dmesg | grep "Total time taken by all kfree'ers" | tail -n 1)
		[ -n "$line" ] && break
		sleep 1
		i=$((i + 1))
	done
	[ -n "$line" ] || { echo "rcuscale: no result after 600 s"; exit 1; }
	echo "RCUSCALE $line"
	ns=$(echo "$line" | sed -n 's/.*kfree.ers: \([0-9]*\) ns,.*/\1/p')
	gps=$(echo "$line" | sed -n 's/.*batches: \([0-9-]*\),.*/\1/p')
	mb=$(echo "$line" | sed -n 's/.*memory footprint: \([0-9-]*\)MB.*/\1/p')
	if [ -z "$ns" ] || [ -z "$gps" ] || [ -z "$mb" ]; then
		echo "rcuscale: cannot read '$line'"
		exit 1
	fi
	s=$(awk -v n="$ns" 'BEGIN { printf "%.4f", n / 1e9 }')
	echo "WORKLOAD {\"case\":\"rcuscale_kfree_rcu\",\"unit\":\"s\",\"value\":$s}"
	echo "WORKLOAD {\"case\":\"rcuscale_kfree_rcu_gps\",\"unit\":\"GPs\",\"value\":$gps}"
	echo "WORKLOAD {\"case\":\"rcuscale_kfree_rcu_mem\",\"unit\":\"MB\",\"value\":$mb}"
	rmmod rcuscale || exit 1
	rmmod torture || exit 1
	exit 0
fi
if [ "${bench_lockstat:-0}" = 1 ]; then
	[ -r /proc/lock_stat ] || { echo "bench_lockstat=1 but no /proc/lock_stat"; exit 1; }
	for c in $(echo "${bench_cases:-}" | tr , ' '); do
		echo 0 >/proc/lock_stat
		insmod /extra/slab_bench.ko cases="$c" reps=1 scale="${bench_scale:-20}" settle=0 || rc=1
		locksnap
		ops=$(dmesg | sed -n "s/.*SLAB_BENCH {\"case\":\"$c\",.*\"ops\":\([0-9]*\)}.*/\1/p" | tail -n 1)
		rmmod slab_bench || rc=1
		# A case the kernel cannot run (sheaves on the baseline) says so.
		[ -n "$ops" ] && lockreport "$c" acq/kop 1000 "$ops"
	done
	if [ "${bench_workloads:-1}" != 0 ]; then
		echo 0 >/proc/lock_stat
		hackbench -g "${hb_groups:-4}" -l "${hb_loops:-200}" >/dev/null || rc=1
		locksnap
		lockreport hackbench_proc_sock acq/run 1 1
		echo 0 >/proc/lock_stat
		hackbench -p -T -g "${hb_groups:-4}" -l "${hb_loops:-200}" >/dev/null || rc=1
		locksnap
		lockreport hackbench_thr_pipe acq/run 1 1
		echo 0 >/proc/lock_stat
		loops fork "${loops_n:-500}" >/dev/null || rc=1
		locksnap
		lockreport fork acq/kop 1000 "${loops_n:-500}"
	fi
	exit $rc
fi
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
# Where the Slab of "after" is, cache by cache (the 25 biggest): kB of
# slabs, objects allocated, objects the slabs have room for.  Not a result
# line: read it to see which caches a difference between kernels is in.
if [ -d /sys/kernel/slab ]; then
	section "slab after the run: cache kB objects total_objects (25 biggest)"
	slab_kb_by_cache | sort -k2,2nr | head -25
fi
# And after 12 s without work (woken each second, as a tickless kernel's
# deferrable timers wait for a wakeup): the patched kernel gives the
# sheaves of caches that stayed idle back to the slabs within two looks of
# its trim work, 5 s apart.
if [ "${bench_workloads:-1}" != 0 ]; then
	i=0
	while [ $i -lt 12 ]; do
		sleep 1
		i=$((i + 1))
	done
	meminfo idle
fi
exit $rc
