# Guest job: what the slab allocator costs after boot.  Prints the possible
# and online CPUs, Slab and Percpu from /proc/meminfo (after dropping
# caches, so that reclaimable slab does not vary between boots), and how
# many caches have sheaves.  For the per-possible-CPU cost of sheaves:
# boot with boot/boot.sh --smp 2 --maxcpus 64 (NR_CPUS >= 64).
# Then Slab again after a shrink of every cache (which empties sheaves and
# barns: what it frees is what they held), and per cache "MEMINFO-CACHE
# name kB objects room": kB of its slabs, objects allocated (objects in
# sheaves count as allocated) and objects its slabs have room for; two
# kernels' lists side by side tell held objects, partly used slabs and
# live objects apart.
# shellcheck source=lib.sh # /guest/lib.sh in the initramfs
. /guest/lib.sh
sleep 2
sync
echo 3 > /proc/sys/vm/drop_caches
section "cpus"
echo "possible $(cat /sys/devices/system/cpu/possible) online $(cat /sys/devices/system/cpu/online)"
section "meminfo"
grep -E '^(MemTotal|Slab|SReclaimable|SUnreclaim|Percpu):' /proc/meminfo
with=0 without=0
for d in /sys/kernel/slab/*; do
	[ -L "$d" ] && continue
	if [ -r "$d/sheaf_capacity" ] && [ "$(cat "$d/sheaf_capacity")" != 0 ]; then
		with=$((with + 1))
	else
		without=$((without + 1))
	fi
done
echo "MEMINFO caches with sheaves: $with, without: $without"
for f in /sys/kernel/slab/*/shrink; do echo 1 >"$f" 2>/dev/null; done
section "after shrinking every cache"
grep -E '^(Slab|SUnreclaim):' /proc/meminfo
slab_kb_by_cache | sed 's/^/MEMINFO-CACHE /'
