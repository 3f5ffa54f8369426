# Guest job: the slab selftest, tools/testing/selftests/slab of the tree
# under test, built on the host (/bin/slab_tuning): the sheaf tuning files
# of /sys/kernel/slab changed under load, bad input refused.  Its TAP is
# judged here: fails when the binary exits non-zero, a test is "not ok",
# the plan is not complete, or a test skips (the debug kernel has SYSFS
# and SLUB_STATS, so none may), or the console shows a splat.  Prints
# "selftest: N passed, N failed, N skipped" for the gate's summary.
# shellcheck source=lib.sh # /guest/lib.sh in the initramfs
. /guest/lib.sh
fail=0
section "selftest slab"
t0=$(cut -d' ' -f1 /proc/uptime)
# Shown as it runs (a hung test shows where), its status kept apart.
{
	slab_tuning 2>&1
	echo $? >/tmp/tap.rc
} | tee /tmp/tap
rc=$(cat /tmp/tap.rc)
section "selftest slab: rc=$rc, $(cut -d' ' -f1 /proc/uptime) s (started at $t0 s)"
[ "$rc" = 0 ] || { echo "FAIL: slab_tuning exited $rc"; fail=1; }
# The plan ("1..N", or "1..0 # SKIP why" when it skips as a whole) and the
# result lines: "ok N ...", "ok N # SKIP ...", "not ok N ...".
plan=$(sed -n 's/^1\.\.\([0-9]*\).*/\1/p' /tmp/tap | head -1)
skipped=$(grep -cE '^ok [0-9]+ # SKIP' /tmp/tap)
passed=$(($(grep -cE '^ok [0-9]+' /tmp/tap) - skipped))
failed=$(grep -cE '^not ok [0-9]+' /tmp/tap)
echo "selftest: $passed passed, $failed failed, $skipped skipped"
if [ -z "$plan" ] || [ "$plan" = 0 ]; then
	echo "FAIL: no plan, or the selftest skipped as a whole"
	fail=1
elif [ $((passed + failed + skipped)) != "$plan" ]; then
	echo "FAIL: $((passed + failed + skipped)) results for a plan of $plan"
	fail=1
fi
[ "$failed" = 0 ] || { echo "FAIL: $failed tests not ok"; fail=1; }
if [ "$skipped" != 0 ]; then
	echo "FAIL: $skipped tests skipped on a kernel that has all they need:"
	grep -E '^ok [0-9]+ # SKIP' /tmp/tap
	fail=1
fi
section "splat scan"
n=$(dmesg | grep -cE "$SPLAT")
echo "splats: $n"
[ "$n" = 0 ] && [ "$fail" = 0 ]
