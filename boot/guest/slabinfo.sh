# Guest job: tools/mm/slabinfo, built on the host from the tree under test
# (/bin/slabinfo), reads /sys/kernel/slab of a kernel without CPU slabs:
# the summary, the activity and size views of every cache (-DA), a
# report of one cache (-r) with its sheaf capacity, barns and (SLUB_STATS)
# sheaf counters.  Fails when a run exits non-zero, prints an error,
# leaves out a cache or a section it must show, or shows one of the CPU
# slab sections that no longer exist.
# shellcheck source=lib.sh # /guest/lib.sh in the initramfs
. /guest/lib.sh
fail=0
# run NAME ARGS...: slabinfo ARGS with its output in /tmp/NAME
run() {
	name=$1
	shift
	section "slabinfo $*"
	slabinfo "$@" >"/tmp/$name" 2>&1
	rc=$?
	cat "/tmp/$name"
	[ $rc = 0 ] || { echo "FAIL: slabinfo $* exited $rc"; fail=1; }
	if grep -qiE 'unable|error|fatal|invalid' "/tmp/$name"; then
		echo "FAIL: slabinfo $* reported an error"
		fail=1
	fi
}
# want NAME REGEX WHAT / shun NAME REGEX WHAT: REGEX must (not) match
want() { grep -qE "$2" "/tmp/$1" || { echo "FAIL: $1: no $3"; fail=1; }; }
shun() { ! grep -qE "$2" "/tmp/$1" || { echo "FAIL: $1: shows $3"; fail=1; }; }
run summary
want summary '^kmalloc-64 ' 'line for kmalloc-64'
run activity -DA
want activity '^Name +Objects +Alloc +Free' 'activity header'
want activity '^kmalloc-64 ' 'activity line for kmalloc-64'
want activity '^Name .* UL +Sheaf$' 'Sheaf column in the activity header'
want activity '^kmalloc-64 +([0-9]+ +){9}[1-9][0-9]*$' 'sheaf capacity of kmalloc-64 in the activity view'
run report -r '^kmalloc-64$'
want report '^Slabcache: kmalloc-64 ' 'report of kmalloc-64'
want report '^Sheaf capacity: [1-9][0-9]* objects per sheaf$' 'Sheaf capacity line'
want report '^Barn sheaves +: full [0-9]+ \(at most [1-9][0-9]*\), empty [0-9]+ \(at most [1-9][0-9]*\)' 'Barn sheaves line'
if [ -r /sys/kernel/slab/kmalloc-64/alloc_fastpath ]; then
	# SLUB_STATS: the counters of the sheaves and the slabs.
	want report '^Fastpath ' 'Fastpath line (sheaf counters)'
	want report '^Page Alloc ' 'Page Alloc line'
	# The sheaf counters.
	want report '^Sheaf Counter +Alloc +Free' 'Sheaf Counter section'
	want report '^CPU sheaf +[0-9]+ +[0-9]+ ' 'CPU sheaf line'
	want report '^Slab \(slowpath\) +[0-9]+ +[0-9]+ ' 'Slab (slowpath) line'
	want report '^Refill/flush objs +[0-9]+ +[0-9]+$' 'Refill/flush objs line'
	want report '^Sheaves alloc/free +[0-9]+ +[0-9]+$' 'Sheaves alloc/free line'
	want report '^Barn get +[0-9]+ +[0-9]+$' 'Barn get line'
	want report '^Barn put +[0-9]+ +[0-9]+$' 'Barn put line'
	want report '^RCU sheaf +[0-9]+ +[0-9]+$' 'RCU sheaf line'
	want report '^Prefill oversize +[0-9]+$' 'Prefill oversize line'
	want report '^Return slow +[0-9]+$' 'Return slow line'
	want report '^CPU sheaves flushed +[0-9]+$' 'CPU sheaves flushed line'
	shun report 'Cpu partial list|SlabFrozen|Slab Deactivation|Flushes ' 'a CPU slab section'
fi
section "cpu slab files"
for f in cpu_slabs cpu_partial slabs_cpu_partial; do
	v=$(cat "/sys/kernel/slab/kmalloc-64/$f")
	echo "$f: $v"
	case $f:$v in
	cpu_slabs:0 | cpu_partial:0 | 'slabs_cpu_partial:0(0)') ;;
	*) echo "FAIL: $f reads '$v'"; fail=1 ;;
	esac
done
section "splat scan"
n=$(dmesg | grep -cE "$SPLAT")
echo "splats: $n"
[ "$n" = 0 ] && [ "$fail" = 0 ]
