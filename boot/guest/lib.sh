# Helpers for guest job scripts (busybox sh).

# The console patterns that make a run fail: /guest/splat-patterns, the
# same list the host's boot/scan-log.sh uses (all of them: a full scan).
# shellcheck disable=SC2034 # used by the job scripts that source this file
SPLAT=$(sed -n 's/^\(all\|full\) //p' /guest/splat-patterns | paste -sd'|')

section() { echo "=== $*"; }

# load_module NAME [ARGS]: insmod /extra/NAME.ko, framed by MODULE lines.
load_module() {
	echo "=== MODULE $1"
	# shellcheck disable=SC2086 # ARGS: module parameters, one word each
	insmod "/extra/$1.ko" ${2:-}
	r=$?
	echo "=== MODULE-END $1 rc=$r"
	return $r
}

slab_summary() { # slab_summary: one line per cache from /sys/kernel/slab
	# read, not $(cat ...): a fork per value made this take 18 s for 130
	# caches on the debug kernel under TCG.
	printf '%-28s %8s %8s %8s %6s %s\n' cache objsize objects slabs order sheaf_capacity
	for d in /sys/kernel/slab/*; do
		[ -L "$d" ] && continue
		# A read that fails (a cache destroyed meanwhile) leaves "-".
		cap=- sz=- ob=- sl=- o=-
		[ -r "$d/sheaf_capacity" ] && read -r cap <"$d/sheaf_capacity"
		read -r sz <"$d/object_size"
		read -r ob _ <"$d/objects"
		read -r sl _ <"$d/slabs"
		read -r o <"$d/order"
		printf '%-28s %8s %8s %8s %6s %s\n' "${d##*/}" "$sz" "$ob" "$sl" "$o" "$cap"
	done
}

# slab_kb_by_cache: "cache kB objects total_objects" for every cache (slabs
# of 4 kB << order; objects allocated and objects the slabs have room for).
slab_kb_by_cache() {
	for d in /sys/kernel/slab/*; do
		[ -L "$d" ] && continue
		read -r sl _ <"$d/slabs"
		read -r o <"$d/order"
		read -r ob _ <"$d/objects"
		read -r to _ <"$d/total_objects"
		echo "${d##*/} $((sl * (4 << o))) $ob $to"
	done | sort
}
