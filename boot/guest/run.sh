# Guest job for 'make run': the KUnit modules, then per cache the sheaf
# capacity (once the series adds it) and the slab summary.
# shellcheck source=lib.sh # /guest/lib.sh in the initramfs
. /guest/lib.sh
rc=0
for m in $(echo "${kunit_modules:-}" | tr ',' ' '); do
	[ -f "/extra/$m.ko" ] && { load_module "$m" || rc=1; }
done
section "meminfo"
grep -E '^(MemTotal|Slab|SReclaimable|SUnreclaim):' /proc/meminfo
section "slab summary (sheaf_capacity '-' = kernel without sheaves)"
slab_summary
exit $rc
