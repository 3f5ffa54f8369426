# Guest job: what the slab allocator costs after boot.  Prints the possible
# and online CPUs, Slab and Percpu from /proc/meminfo (after dropping
# caches, so that reclaimable slab does not vary between boots), and how
# many caches have sheaves.  For the per-possible-CPU cost of sheaves:
# boot with scripts/boot.sh --smp 2 --maxcpus 64 (NR_CPUS >= 64).
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
