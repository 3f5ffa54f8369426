# boot.sh judges every guest run the same way: the guest job's exit, the
# KTAP and self-test results, and the console scan, with one VERDICT line
# and the documented exit code.  The "kernel" here is a shell script
# standing in for a UML binary (the uml backend runs it directly).
. "$(dirname "$0")/lib.sh"
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
guest() { # guest NAME: an executable stand-in printing $d/NAME.console
	printf '#!/bin/sh\ncat "%s"\n' "$d/$1.console" >"$d/$1" && chmod +x "$d/$1"
}
B() { # B NAME ARGS...: boot the stand-in NAME and judge it
	local n=$1
	shift
	"$ROOT/boot/boot.sh" --backend uml --smp 1 --kernel "$d/$n" --job "$ROOT/boot/guest/kunit.sh" \
		--log "$d/$n.log" --timeout 20 "$@"
}
cat >"$d/pass.console" <<'L'
[    1.000000] Linux version 6.12.117 (stand-in)
=== MODULE slub_kunit
[    5.000000] KTAP version 1
[    5.000000] 1..1
[    5.100000]     # Subtest: slub_test
[    5.100000]     1..1
[    5.200000]     ok 1 test_kfree_rcu
[    5.400000] ok 1 slub_test
=== MODULE-END slub_kunit rc=0
[    6.000000] maple_tree: 10 of 10 tests passed
=== GUEST-DONE rc=0 uptime=6.1s
L
guest pass
out=$(B pass --suites slub_test --require slub_test.test_kfree_rcu --selftest maple_tree 2>&1) ||
	fail "a clean run was judged failed: $out"
printf '%s\n' "$out" | grep -q "VERDICT .*pass.log: passed" || fail "no passed verdict: $out"
{ [ -s "$d/pass.json" ] && [ -s "$d/pass.report" ]; } || fail "no .json and .report beside the log"
# A splat fails the run under the full scan, not under the lockdep scan
# when it is a KASAN report (the KASAN suite provokes those); a lockdep
# report fails both.
sed 's/^=== GUEST-DONE/[    6.500000] BUG: KASAN: slab-use-after-free in kmalloc_uaf\n&/' \
	"$d/pass.console" >"$d/kasan.console"
guest kasan
expect_fail 1 'VERDICT .*kasan.log: failed \(full scan\)' B kasan --suites slub_test
B kasan --suites slub_test --scan lockdep >/dev/null 2>&1 ||
	fail "a KASAN report failed the lockdep scan: $(cat "$d/kasan.log")"
sed 's/^=== GUEST-DONE/[    6.500000] WARNING: possible circular locking dependency detected\n&/' \
	"$d/pass.console" >"$d/lockdep.console"
guest lockdep
expect_fail 1 'failed \(lockdep scan\)' B lockdep --suites slub_test --scan lockdep
# A failed case, a suite that did not run, a self-test that failed.
sed 's/    ok 1 test_kfree_rcu/    not ok 1 test_kfree_rcu/' "$d/pass.console" >"$d/case.console"
guest case
expect_fail 1 'failed \(results\)' B case --suites slub_test
expect_fail 1 'suite kasan did not run' B pass --suites slub_test,kasan
sed 's/10 of 10 tests/9 of 10 tests/' "$d/pass.console" >"$d/self.console"
guest self
expect_fail 1 'maple_tree: 9 of 10 tests passed' B self --selftest maple_tree
# The job failed and the scan found something: both are named.
sed -e 's/GUEST-DONE rc=0/GUEST-DONE rc=1/' "$d/kasan.console" >"$d/both.console"
guest both
expect_fail 1 'failed \(guest job failed \(rc 1\), full scan\)' B both
# No GUEST-DONE: a boot failure (4), still scanned and judged.
grep -v GUEST-DONE "$d/kasan.console" >"$d/crash.console"
guest crash
expect_fail 4 'failed \(boot failed, panicked or timed out, full scan\)' B crash
# The uml backend refuses what only QEMU has.
expect_fail 2 'boot.sh: the uml backend has one CPU' B pass --smp 2
expect_fail 2 'boot.sh: --numa, --maxcpus, --memhp, --accel, --cpu-flags and --seed are for the qemu backend' B pass --numa 2
expect_fail 2 'boot.sh: --numa, --maxcpus, --memhp, --accel, --cpu-flags and --seed are for the qemu backend' \
	B pass --cpu-flags -cx16
# CPU features are checked before QEMU starts.
expect_fail 2 "boot.sh: --cpu-flags wants QEMU CPU features like -cx16 or -cx16,\\+x2apic, got 'cx16;reboot'" \
	"$ROOT/boot/boot.sh" --backend qemu --kernel "$d/pass" --cpu-flags 'cx16;reboot'
expect_fail 2 "unknown scan 'most'" B pass --scan most
expect_fail 2 'boot.sh: --numa, --maxcpus, --memhp, --accel, --cpu-flags and --seed are for the qemu backend' B pass --seed 1
expect_fail 2 "boot.sh: --seed wants a number, got 'x'" "$ROOT/boot/boot.sh" --backend qemu --kernel "$d/pass" --seed x
# arm64 guests: QEMU only, TCG only, no DIMMs; the architecture is checked.
expect_fail 2 "unknown arch 'sparc'" B pass --arch sparc
expect_fail 2 'boot.sh: --arch arm64 is for the qemu backend' B pass --arch arm64
expect_fail 2 'boot.sh: --memhp is not available for arm64' \
	"$ROOT/boot/boot.sh" --backend qemu --arch arm64 --kernel "$d/pass" --memhp
expect_fail 2 'boot.sh: --accel kvm cannot run an arm64 guest' \
	"$ROOT/boot/boot.sh" --backend qemu --arch arm64 --kernel "$d/pass" --accel kvm
expect_fail 2 'boot.sh: --perf is for the uml backend' \
	"$ROOT/boot/boot.sh" --backend qemu --kernel "$d/pass" --perf perf:x.csv
