# Guest job: load the KUnit and self-test modules from /extra in the order
# given by kunit_modules= (default: all, alphabetically); KUnit prints KTAP
# on the console, the host parses it (boot/ktap.py).
# shellcheck source=lib.sh # /guest/lib.sh in the initramfs
. /guest/lib.sh
rc=0
# shellcheck disable=SC2012 # module file names, sorted (no module: none)
mods=${kunit_modules:-$(ls /extra | sed -n 's/\.ko$//p' | tr '\n' ' ')}
for m in $(echo "$mods" | tr ',' ' '); do
	[ -f "/extra/$m.ko" ] || { echo "=== MODULE $m missing"; rc=1; continue; }
	load_module "$m" || rc=1
done
section "slab summary"
slab_summary
exit $rc
