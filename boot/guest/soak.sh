# Guest job of the soak (soak/soak.sh): the slab stress module
# (soak/slab_soak.c) and a userspace load run while this script cycles CPU
# hotplug, hot-adds and removes DIMMs through the host's QEMU monitor,
# injects allocation failures and pushes free memory down to the low
# watermark.  Then it stops the load and checks what is left.
# Parameters (kernel command line): soak_secs (300), soak_threads (0: the
# module's default), soak_seed (1), soak_cpuhp (1), soak_faults (1),
# soak_pressure (1), soak_memhp (nodes to hot-add DIMMs to, e.g. "0,2";
# empty: none), soak_memhp_mb (256), soak_latency (0; 1: the preemptirqsoff
# tracer runs during the load, SOAK-LATENCY gives its maximum),
# soak_warmup (1: one round of the load and of CPU and memory hotplug
# before the first Slab reading; counts in soak_secs), soak_slab_bound
# (1: the Slab check below fails the run; 0: figures only), soak_settle
# (6: seconds between the two rounds of dropping and shrinking before each
# Slab reading).
# Prints SOAK-SUMMARY and SOAK-CHECK lines; fails on any failed check.
# shellcheck source=lib.sh # /guest/lib.sh in the initramfs
. /guest/lib.sh

secs=${soak_secs:-300}
mb=${soak_memhp_mb:-256}
fail=0
t0=$(date +%s)
bad() { echo "SOAK-CHECK FAIL: $*"; fail=1; }
ok() { echo "SOAK-CHECK ok: $*"; }
kmsg() { echo "$*" >/dev/kmsg; }

slab_kb() { awk '/^Slab:/ { print $2 }' /proc/meminfo; }
quiesce() { # drop caches and shrink every cache (sheaves and barns included)
	sync
	echo 3 >/proc/sys/vm/drop_caches
	for f in /sys/kernel/slab/*/shrink; do echo 1 >"$f" 2>/dev/null; done
}
# settle: what a Slab reading is taken after, both times.  Much of what
# drop_caches and exiting tasks give back is freed only after an RCU grace
# period (inodes, dentries, task_structs, VMAs) or by a deferred purge (lazy
# vmap areas, kfree_rcu() batches, RCU sheaves going through call_rcu()), and
# the slabs those objects emptied are released only by the next shrink.  One
# quiesce alone counts whatever was still in flight at that instant: one
# queue ended its soak at +1.3% and -0.6% on one machine and at +10.4% on
# another, mostly in those caches.  So: quiesce, let the deferred frees
# run, quiesce again.
settle() {
	quiesce
	sleep "${soak_settle:-6}"
	quiesce
}
node_kb() { # node_kb N: MemTotal of node N in kB (0 when it has none)
	awk '/MemTotal:/ { print $4 }' "/sys/devices/system/node/node$1/meminfo" 2>/dev/null || echo 0
}
# tasks_by_name: "count comm" of every task, for what changed between the
# two Slab readings (more kworkers after CPU hotplug hold more task_structs).
tasks_by_name() {
	cat /proc/[0-9]*/comm 2>/dev/null | sed 's/[0-9][0-9:.]*/N/g' | sort | uniq -c
}
# slab_adj_kb: Slab without the debugging tools' own caches.  6.12's
# debugobjects keeps every object freed while its free list was backed up in
# its pool for good (the pool has no shrinker), so after the kfree_rcu()
# storm of the soak debug_objects_cache stays several MB above its start on
# any kernel; kmemleak's metadata follows the live objects of every cache.
# Neither is memory the allocator under test holds.  $1 is the Slab value
# just read, so that both figures printed come from one reading.
DEBUG_CACHES="debug_objects_cache kmemleak_object kmemleak_scan_area"
slab_adj_kb() {
	slab_kb_by_cache | awk -v slab="$1" -v dbg=" $DEBUG_CACHES " '
		index(dbg, " " $1 " ") { slab -= $2 } END { print slab }'
}
vmstat() { awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat; }

section "soak: ${secs} s, cmdline: $(cat /proc/cmdline)"
echo "nodes online: $(cat /sys/devices/system/node/online)," \
	"with memory: $(cat /sys/devices/system/node/has_memory)," \
	"cpus online: $(cat /sys/devices/system/cpu/online)"
# The checks below need /proc/sys/vm (CONFIG_PROC_SYSCTL): without it the
# caches are not dropped before the Slab readings and the pressure phase
# cannot raise the watermarks (it would fill memory to below min: OOM).
if [ ! -w /proc/sys/vm/drop_caches ] || [ ! -w /proc/sys/vm/watermark_scale_factor ]; then
	bad "no writable /proc/sys/vm (kernel without CONFIG_PROC_SYSCTL?): no drop_caches, no pressure phase"
	soak_pressure=0
fi
# --- the faults -------------------------------------------------------------
cpuhp=0
memhp_add=0
memhp_del=0
press=0
dimm=0
end=$((t0 + secs))
memnodes=$(echo "${soak_memhp:-}" | tr ',' ' ')

cpu_cycle() {
	for c in /sys/devices/system/cpu/cpu[0-9]*; do
		[ -w "$c/online" ] || continue
		[ "$(cat "$c/online")" = 1 ] || continue
		if echo 0 >"$c/online"; then
			sleep 1
			if echo 1 >"$c/online"; then
				cpuhp=$((cpuhp + 1))
			else
				bad "${c##*/} did not come back online"
			fi
		else
			bad "${c##*/} did not go offline"
		fi
	done
}

# wait_for LIMIT CMD...: run CMD every second until it succeeds, at most
# LIMIT seconds; w is the number of seconds waited.
wait_for() {
	lim=$1
	shift
	w=0
	until "$@"; do
		w=$((w + 1))
		[ $w -le "$lim" ] || return 1
		sleep 1
	done
}
# The DIMM's memory is (nearly all) in the node, or (nearly all) gone again.
dimm_in() { [ $(( $(node_kb "$node") - before )) -ge $((mb * 1024 * 9 / 10)) ]; }
dimm_out() { [ $(( $(node_kb "$node") - before )) -le $((mb * 1024 / 10)) ]; }

# dimm_cycle NODE: hot-add a DIMM of $mb MB to NODE through the monitor,
# wait until the node's memory grew, let the load use it, remove it again.
dimm_cycle() {
	node=$1
	dimm=$((dimm + 1))
	before=$(node_kb "$node")
	kmsg "=== MONITOR object_add memory-backend-ram,id=soakmem$dimm,size=${mb}M"
	kmsg "=== MONITOR device_add pc-dimm,id=soakdimm$dimm,memdev=soakmem$dimm,node=$node"
	if ! wait_for 60 dimm_in; then
		bad "DIMM $dimm ($mb MB) on node $node: memory did not appear in 60 s (node MemTotal $(node_kb "$node") kB)"
		return
	fi
	memhp_add=$((memhp_add + mb))
	echo "memhp: +$mb MB on node $node after ${w} s (node MemTotal $(node_kb "$node") kB)"
	sleep 5
	kmsg "=== MONITOR device_del soakdimm$dimm"
	if ! wait_for 120 dimm_out; then
		bad "DIMM $dimm on node $node: not removed in 120 s (node MemTotal $(node_kb "$node") kB)"
		return
	fi
	kmsg "=== MONITOR object_del soakmem$dimm"
	memhp_del=$((memhp_del + mb))
	echo "memhp: -$mb MB on node $node after ${w} s"
}

# pressure: raise the gap between the zones' watermarks to its maximum
# (watermark_scale_factor 3000: low is min plus 30% of the zone, so less
# has to be filled to reach it), fill a tmpfs to just above the low
# watermarks in one go, then in 8 MB steps until kswapd has run, hold it,
# release it.  kswapd wakes only when an allocation finds every zone it
# may use below low (until then it falls back to the next zone or node),
# which the summed watermarks of /proc/zoneinfo do not tell exactly: hence
# the steps.  Never closer to min than half the gap (the tmpfs cannot be
# reclaimed without swap: below min is OOM).  Only called with /proc/sys/vm
# writable (checked once at the start).
#
# Once per run: the tmpfs cannot be reclaimed, so kswapd's runs reclaim
# next to nothing, and after 16 such runs (MAX_RECLAIM_RETRIES) a node
# counts as unreclaimable ("node_unreclaimable" in /proc/zoneinfo) and
# kswapd is not woken for it again until some reclaim succeeds.  Measured:
# the first phase +16 kswapd runs per node, the later ones +0 (smp2: 548 MB
# filled to 136 MB free, 97 MB below the low watermarks, no run).
memfree_kb() { awk '/^MemFree:/ { print $2 }' /proc/meminfo; }
pressure() {
	wsf=$(cat /proc/sys/vm/watermark_scale_factor)
	echo 3000 >/proc/sys/vm/watermark_scale_factor
	low_kb=$(awk '$1 == "low" { s += $2 } END { print s * 4 }' /proc/zoneinfo)
	min_kb=$(awk '$1 == "min" { s += $2 } END { print s * 4 }' /proc/zoneinfo)
	free_kb=$(memfree_kb)
	floor_kb=$(( min_kb + (low_kb - min_kb) / 2 ))
	mkdir -p /tmp/press
	mount -t tmpfs -o size=95% none /tmp/press 2>/dev/null
	run0=$(vmstat pageoutrun)
	scan0=$(vmstat slabs_scanned)
	p0=$(date +%s)
	fill_mb=$(( (free_kb - low_kb - 16384) / 1024 ))
	if [ $fill_mb -gt 0 ]; then
		dd if=/dev/zero of=/tmp/press/fill bs=1M count=$fill_mb 2>/dev/null
	else
		fill_mb=0
	fi
	how="to the floor (min + half the gap to low)"
	while [ $(( $(memfree_kb) - 8192 )) -gt $floor_kb ]; do
		if [ -n "$run0" ] && [ "$(vmstat pageoutrun)" != "$run0" ]; then
			how="until kswapd ran"
			break
		fi
		dd if=/dev/zero of=/tmp/press/fill bs=1M count=8 seek=$fill_mb conv=notrunc 2>/dev/null
		fill_mb=$((fill_mb + 8))
		sleep 1
	done
	sleep 3
	free1=$(memfree_kb)
	umount /tmp/press
	echo "$wsf" >/proc/sys/vm/watermark_scale_factor
	press=$((press + 1))
	if [ -n "$run0" ]; then
		r=$(( $(vmstat pageoutrun) - run0 ))
		runs="kswapd runs +$r, slabs_scanned +$(( $(vmstat slabs_scanned) - scan0 ))"
		[ $r -gt 0 ] || bad "pressure phase $press: kswapd did not run (filled $fill_mb MB, MemFree $free1 kB, floor $floor_kb kB)"
	else
		runs="kswapd runs unknown (no VM event counters)"
	fi
	echo "pressure: $fill_mb MB filled $how in $(( $(date +%s) - p0 )) s, MemFree $free_kb -> $free1 kB" \
		"(watermarks: min $min_kb kB, low $low_kb kB), $runs," \
		"nodes unreclaimable now: $(awk '$1 == "Node" { n = $2 + 0 }
			$1 == "node_unreclaimable:" && $2 == 1 { u[n] = 1 }
			END { s = ""; for (k in u) s = s " " k; print s == "" ? "none" : s }' /proc/zoneinfo)"
}

# load_round N: one round of the userspace load (sockets, pipes, threads,
# files and negative dentries in tmpfs directory N).
load_round() {
	hackbench -g 2 -l 40 >/dev/null 2>&1 || echo "soak load: hackbench rc=$?"
	hackbench -p -T -g 2 -l 40 >/dev/null 2>&1 || echo "soak load: hackbench -p rc=$?"
	mkdir -p "/tmp/soakfs/$1" && i=0
	while [ "$i" -lt 50 ]; do
		echo "$i" >"/tmp/soakfs/$1/f$i"
		[ -e "/tmp/soakfs/neg$1.$i" ]
		i=$((i + 1))
	done
	rm -rf "/tmp/soakfs/$1"
}

# The latency tracer is set up before the warm-up: what it allocates
# stays until the end and is no part of the Slab check.
TR=/sys/kernel/tracing
lat=${soak_latency:-0}
if [ "$lat" = 1 ]; then
	mount -t tracefs nodev $TR 2>/dev/null
	if ! echo preemptirqsoff >$TR/current_tracer 2>/dev/null; then
		bad "soak_latency=1 but the kernel has no preemptirqsoff tracer"
		lat=0
	fi
fi

# Warm-up: one round of the userspace load and of CPU and memory hotplug
# before the first Slab reading.  They leave state behind that is not the
# allocator's: the workqueue pools of CPUs that came back keep the kworkers
# they started (and their task_struct, stacks, vmap_area, pid, signal and
# sighand objects) until they idle out after five minutes, ACPI hotplug
# starts its own, and a guest that has just booted is still filling its
# caches (kmalloc-64, proc inodes).  Measured without a warm-up, on 6.12
# without sheaves: memless3 (3 nodes, 4 vCPUs) 60 -> 72 tasks and Slab
# +15.2% over 5 minutes; the latency configuration (a reading 0.6 s after
# boot) +20% in 60 s, as much as the patched kernel.  The Slab check below
# is about what the run leaves behind in the allocator, so it starts from
# the state one round leaves.
if [ "${soak_warmup:-1}" = 1 ]; then
	w0=$(date +%s)
	load_round warmup
	[ "${soak_cpuhp:-1}" = 1 ] && cpu_cycle
	for node in $memnodes; do
		dimm_cycle "$node"
	done
	echo "warm-up: one load round, $cpuhp CPU hotplug cycles, +$memhp_add/-$memhp_del MB in $(( $(date +%s) - w0 )) s"
	cpuhp=0 memhp_add=0 memhp_del=0
fi
settle
slab0=$(slab_kb)
adj0=$(slab_adj_kb "$slab0")
slab_kb_by_cache >/tmp/slab-before
tasks_by_name >/tmp/tasks-before
mem0=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
# shellcheck disable=SC2012 # counts the PID directories
echo "before: Slab ${slab0} kB (${adj0} kB without $DEBUG_CACHES), MemTotal ${mem0} kB, $(ls -d /proc/[0-9]* | wc -l) tasks"

# --- fault injection: only the soak's caches and the soak's threads ----------
faults=${soak_faults:-1}
FS=/sys/kernel/debug/failslab
FP=/sys/kernel/debug/fail_page_alloc
if [ "$faults" = 1 ]; then
	if [ ! -d $FS ] || [ ! -d $FP ]; then
		bad "soak_faults=1 but the kernel has no failslab/fail_page_alloc"
		faults=0
	else
		echo Y >$FS/cache-filter
		echo N >$FS/ignore-gfp-wait
		echo 0 >$FS/verbose
		echo -1 >$FS/times
		echo 1 >$FS/interval
		echo 1 >$FS/probability
		echo Y >$FP/task-filter
		echo N >$FP/ignore-gfp-wait
		echo N >$FP/ignore-gfp-highmem
		echo 0 >$FP/min-order
		echo 0 >$FP/verbose
		echo -1 >$FP/times
		echo 1 >$FP/interval
		echo 1 >$FP/probability
		echo "fault injection: failslab 1% on the soak caches," \
			"fail_page_alloc 1% for the soak threads"
	fi
fi
f01=0
[ "$faults" = 1 ] && f01=1
load_module slab_soak "threads=${soak_threads:-0} seed=${soak_seed:-1} failslab=$f01 fail_pages=$f01 nowarn=$f01" ||
	{ bad "slab_soak did not load"; echo "=== soak aborted"; exit 1; }
CTL=/sys/kernel/debug/slab_soak
# failslab's cache filter: kmem_cache_create() does not take SLAB_FAILSLAB,
# the caches are marked here.
if [ "$faults" = 1 ]; then
	for d in /sys/kernel/slab/soak_*; do
		echo 1 >"$d/failslab" || bad "cannot mark ${d##*/} for failslab"
	done
fi

# --- latency: the longest irq-off or preempt-off section during the load -----
# The maximum is reset when the load starts.
if [ "$lat" = 1 ]; then
	echo 0 >$TR/tracing_max_latency
	echo 1 >$TR/tracing_on
fi

# --- userspace load: sockets, pipes, fork, dentries and inodes ---------------
rm -f /tmp/soak-stop
(
	n=0
	while [ ! -e /tmp/soak-stop ]; do
		load_round $n
		n=$((n + 1))
	done
	echo "soak load: $n rounds"
) &
loadpid=$!

# --- faults until the deadline --------------------------------------------
cycle=0
while [ "$(date +%s)" -lt $end ]; do
	cycle=$((cycle + 1))
	[ "${soak_cpuhp:-1}" = 1 ] && cpu_cycle
	for node in $memnodes; do
		[ "$(date +%s)" -lt $end ] && dimm_cycle "$node"
	done
	[ "${soak_pressure:-1}" = 1 ] && [ $cycle = 1 ] && pressure
	sleep 2
	echo "cycle $cycle ($(( $(date +%s) - t0 )) s): $(cat $CTL/stats)"
done

# --- stop and check -------------------------------------------------------
if [ "$lat" = 1 ]; then
	echo 0 >$TR/tracing_on
	from=$(sed -n 's/^# *=> started at: *//p' $TR/trace | head -1)
	to=$(sed -n 's/^# *=> ended at: *//p' $TR/trace | head -1)
	echo "SOAK-LATENCY max_us=$(cat $TR/tracing_max_latency) started_at=${from:-?} ended_at=${to:-?}"
	echo nop >$TR/current_tracer
fi
section "soak: stopping"
touch /tmp/soak-stop
wait $loadpid
if [ "$faults" = 1 ]; then
	echo 0 >$FS/probability
	echo 0 >$FP/probability
fi
echo stop >$CTL/control || bad "stop the module"
res=$(dmesg | grep 'SOAK-RESULT' | tail -1 | sed 's/.*SOAK-RESULT //')
echo "module: $res"
dmesg | grep -q 'SOAK-OK' || bad "the module's own checks: $(dmesg | grep 'SOAK-FAIL' | sed 's/.*SOAK-FAIL/SOAK-FAIL/')"
for d in /sys/kernel/slab/soak_*; do
	[ -d "$d" ] || continue
	o=$(cut -d' ' -f1 "$d/objects")
	[ "$o" = 0 ] || bad "${d##*/}: $o objects after the stop (shrink, kvfree_rcu_barrier)"
done
ok "soak caches empty after the stop"
rmmod slab_soak || bad "rmmod slab_soak"
settle
slab1=$(slab_kb)
adj1=$(slab_adj_kb "$slab1")
# A leak stays; what exited tasks and dropped files give back after an RCU
# grace period or a deferred put only takes longer (measured: +10.9% once
# after one settle, from /proc inodes, VMAs and task_structs, and -1% on
# the next run).  Outside the bound, settle again, up to three times, and
# judge the last reading.
# slab_in_bound: the "after" reading within 10% of the "before" one.
slab_in_bound() {
	[ $((adj1 * 10)) -le $((adj0 * 11)) ] && [ $((adj1 * 10)) -ge $((adj0 * 9)) ]
}
retry=0
while [ "${soak_slab_bound:-1}" != 0 ] && [ $retry -lt 3 ] && ! slab_in_bound; do
	retry=$((retry + 1))
	echo "Slab ${adj1} kB is not within 10% of ${adj0} kB yet: settle again ($retry of 3)"
	sleep 10
	settle
	slab1=$(slab_kb)
	adj1=$(slab_adj_kb "$slab1")
done
mem1=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
# shellcheck disable=SC2012 # counts the PID directories
echo "after: Slab ${slab1} kB (${adj1} kB without $DEBUG_CACHES), MemTotal ${mem1} kB, $(ls -d /proc/[0-9]* | wc -l) tasks"
# Slab within 10% of its value before the run (after settle both times),
# without the debugging tools' caches.
# soak_slab_bound=0 (the latency mode) prints the figures without judging
# them: there the guest has ~3.4 MB of Slab, no faults and 60 s of load,
# and 6.12 itself ends 13.7% above its first reading (task_structs of
# exited load tasks still waiting for their grace period, /proc inodes).
if [ "${soak_slab_bound:-1}" = 0 ]; then
	echo "SOAK-CHECK not judged (soak_slab_bound=0): Slab $adj0 -> $adj1 kB without $DEBUG_CACHES"
elif ! slab_in_bound; then
	bad "Slab ${adj1} kB after the run is not within 10% of ${adj0} kB before (without $DEBUG_CACHES)"
else
	ok "Slab within 10% ($adj0 -> $adj1 kB without $DEBUG_CACHES; $slab0 -> $slab1 kB with them)"
fi
# What grew, either way: objects allocated against objects the slabs hold
# room for tells live objects from partly used slabs.
echo "caches that grew most (kB, allocated/room objects; before -> after):"
slab_kb_by_cache | awk 'NR == FNR { b[$1] = $2; o[$1] = $3; t[$1] = $4; next }
	{ print $2 - b[$1], $1, b[$1] + 0, o[$1] + 0, t[$1] + 0, $2, $3, $4 }' \
	/tmp/slab-before - | sort -rn | head -12 |
	awk '{ printf "  %-28s %6d kB %6d/%-6d -> %6d kB %6d/%d\n", $2, $3, $4, $5, $6, $7, $8 }'
echo "tasks that came or went (count before -> after, digits as N):"
tasks_by_name | awk 'NR == FNR { c = $1; $1 = ""; b[$0] = c; next }
	{ c = $1; $1 = ""; if (b[$0] != c) printf "  %-24s %3d -> %3d\n", $0, b[$0], c; seen[$0] = 1 }
	END { for (k in b) if (!(k in seen)) printf "  %-24s %3d -> %3d\n", k, b[k], 0 }' \
	/tmp/tasks-before -
[ "$mem1" = "$mem0" ] || bad "MemTotal $mem0 -> $mem1 kB: hot-added memory left behind"
if [ -e /sys/kernel/debug/kmemleak ]; then
	sleep 6
	if echo scan >/sys/kernel/debug/kmemleak; then
		n=$(grep -c '^unreferenced object' /sys/kernel/debug/kmemleak)
		if [ "$n" = 0 ]; then
			ok "kmemleak on, nothing unreferenced"
		else
			bad "kmemleak: $n unreferenced objects"; head -40 /sys/kernel/debug/kmemleak
		fi
	else
		bad "kmemleak is off at the end (it disables itself when its own allocations fail)"
	fi
fi
oom=$(dmesg | grep -c 'Out of memory' || true)
[ "$oom" = 0 ] || bad "$oom OOM kills: the pressure phase went too far"
n=$(dmesg | grep -cE "$SPLAT")
[ "$n" = 0 ] || bad "$n splat lines on the console"
echo "SOAK-SUMMARY secs=$(( $(date +%s) - t0 )) cycles=$cycle cpuhp=$cpuhp" \
	"memhp_added_mb=$memhp_add memhp_removed_mb=$memhp_del pressure=$press" \
	"slab_before_kb=$adj0 slab_after_kb=$adj1 $res"
[ "$fail" = 0 ]
