# Guest job: load the KUnit and self-test modules from /extra in the order
# given by kunit_modules= (default: all, alphabetically); KUnit prints KTAP
# on the console, the host parses it (boot/ktap.py).
# shellcheck source=lib.sh # /guest/lib.sh in the initramfs
. /guest/lib.sh
rc=0
# The modules are loaded from a memory cgroup of their own, not the root
# one: slub_sheaves charges kmalloc_nolock(__GFP_ACCOUNT) to the memcg of
# the task that loads it (a kernel without memcg skips that case).
if mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null &&
   echo +memory >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null &&
   mkdir -p /sys/fs/cgroup/kunit && echo $$ >/sys/fs/cgroup/kunit/cgroup.procs; then
	section "memory cgroup /sys/fs/cgroup/kunit"
else
	section "no memory cgroup (the kernel has no memcg)"
fi
# shellcheck disable=SC2012 # module file names, sorted (no module: none)
mods=${kunit_modules:-$(ls /extra | sed -n 's/\.ko$//p' | tr '\n' ' ')}
for m in $(echo "$mods" | tr ',' ' '); do
	[ -f "/extra/$m.ko" ] || { echo "=== MODULE $m missing"; rc=1; continue; }
	load_module "$m" || rc=1
done
section "slab summary"
slab_summary
exit $rc
