# The KTAP judge (the kernel's own parser, per module) counts cases, notices
# skips, failures, missing cases and unfinished suites.
. "$(dirname "$0")/lib.sh"
k=$(mktemp); trap 'rm -f "$k" "$k.json" "$k.report"' EXIT
cat >"$k" <<'L'
[host +1.0] [    5.100000] KTAP version 1
[host +1.0] [    5.100000] 1..1
[host +1.0] [    5.100000]     KTAP version 1
[host +1.0] [    5.100000]     # Subtest: slub_test
[host +1.0] [    5.100000]     1..3
[host +1.0] [    5.200000]     ok 1 test_clobber_zone
[host +1.0] [    5.200000]         # Subtest: test_param
[host +1.0] [    5.200000]         ok 1 p0
[host +1.0] [    5.200000]     ok 2 test_param
[host +1.0] [    5.300000]     ok 3 test_kfree_rcu
[host +1.0] [    5.400000] ok 1 slub_test
L
python3 "$ROOT/boot/ktap.py" "$k" --suites slub_test --require slub_test.test_kfree_rcu >/dev/null ||
	fail "a passing log was judged failed"
sed -i 's/ok 3 test_kfree_rcu/ok 3 test_kfree_rcu # SKIP built in/' "$k"
expect_fail 1 'test_kfree_rcu: skip' python3 "$ROOT/boot/ktap.py" "$k" --require slub_test.test_kfree_rcu
sed -i 's/    ok 1 test_clobber_zone/    not ok 1 test_clobber_zone/' "$k"
expect_fail 1 'suite slub_test failed' python3 "$ROOT/boot/ktap.py" "$k"
sed -i '$d' "$k"
expect_fail 1 'slub_test did not finish' python3 "$ROOT/boot/ktap.py" "$k"
expect_fail 1 'suite kasan did not run' python3 "$ROOT/boot/ktap.py" "$k" --suites kasan
echo '[   9.0] test_meminit: failures: 2 out of 131' >>"$k"
expect_fail 1 'test_meminit: 2 failures' python3 "$ROOT/boot/ktap.py" "$k" --meminit
# test_meminit's success line; its absence when --meminit asks for it.
sed -i '/test_meminit/d' "$k"
echo '[   9.0] test_meminit: all 131 tests passed' >>"$k"
out=$(python3 "$ROOT/boot/ktap.py" "$k" --meminit 2>/dev/null)
printf '%s\n' "$out" | grep -q 'MEMINIT passed:131 failed:0' || fail "meminit success not counted: $out"
sed -i '/test_meminit/d' "$k"
expect_fail 1 'test_meminit printed no result' python3 "$ROOT/boot/ktap.py" "$k" --meminit
# A required case that never ran; a suite whose own result line failed
# with every case passing (its init failed): both are failures.
cat >"$k" <<'L'
[    5.000000] KTAP version 1
[    5.000000] 1..1
[    5.100000]     # Subtest: slub_test
[    5.100000]     1..1
[    5.200000]     ok 1 test_clobber_zone
[    5.400000] not ok 1 slub_test
L
expect_fail 1 'slub_test.test_kfree_rcu: not run \(must run and pass\)' \
	python3 "$ROOT/boot/ktap.py" "$k" --require slub_test.test_kfree_rcu
expect_fail 1 'suite slub_test failed' python3 "$ROOT/boot/ktap.py" "$k"
# --json records the suites, the totals and the problems.
python3 "$ROOT/boot/ktap.py" "$k" --json "$k.json" >/dev/null 2>&1 && fail "a failed suite exited 0 with --json"
python3 - "$k.json" <<'PY' || fail "--json record wrong: $(cat "$k.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d['suites']['slub_test'] == {'cases': {'test_clobber_zone': 'pass'}, 'done': True, 'result': 'fail'}, d
assert d['totals'] == {'pass': 1, 'fail': 0, 'skip': 0} and d['meminit'] is None, d
assert d['problems'] == ['suite slub_test failed'], d
PY
# A log that cannot be read is named, exit 2.
expect_fail 2 "ktap: cannot read $k.none" python3 "$ROOT/boot/ktap.py" "$k.none"
# The suite's result line cut into the guest's own marker line (the printer
# thread of a PREEMPT_RT console writes a record while the job's echo is
# half out): the record is still read.
cat >"$k" <<'L'
[host +1.0] === MODULE local_lock_kunit
[host +1.0] [    5.000000] KTAP version 1
[host +1.0] [    5.000000] 1..1
[host +1.0] [    5.100000]     # Subtest: local_lock
[host +1.0] [    5.100000]     1..1
[host +1.0] [    5.200000]     ok 1 test_trylock_uncontended
[host +1.0] === MODULE-E[    5.400000] ok 1 local_lock
[host +1.0] ND local_lock_kunit rc=0
L
python3 "$ROOT/boot/ktap.py" "$k" --suites local_lock >/dev/null ||
	fail "a result line after a cut marker was not read: $(python3 "$ROOT/boot/ktap.py" "$k")"
# One KTAP document per module: a module that crashed in the middle of its
# suite (no result line, the job went on with the next module) does not
# swallow the next module's suite, and counts as not finished.
cat >"$k" <<'L'
[host +1.0] === MODULE slub_kunit
[host +1.0] [    5.000000] KTAP version 1
[host +1.0] [    5.000000] 1..1
[host +1.0] [    5.100000]     # Subtest: slub_test
[host +1.0] [    5.100000]     1..2
[host +1.0] [    5.200000]     ok 1 test_clobber_zone
[host +1.0] [    5.300000] BUG: kernel NULL pointer dereference, address: 0000000000000008
[host +1.0] === MODULE-END slub_kunit rc=139
[host +1.0] === MODULE local_lock_kunit
[host +1.0] [    6.000000] KTAP version 1
[host +1.0] [    6.000000] 1..1
[host +1.0] [    6.100000]     # Subtest: local_lock
[host +1.0] [    6.100000]     1..1
[host +1.0] [    6.200000]     ok 1 test_trylock_uncontended
[host +1.0] [    6.300000] ok 1 local_lock
[host +1.0] === MODULE-END local_lock_kunit rc=0
L
out=$(python3 "$ROOT/boot/ktap.py" "$k" --suites slub_test,local_lock 2>&1) &&
	fail "a suite that did not finish was judged passed: $out"
printf '%s\n' "$out" | grep -q 'local_lock .*pass:1 fail:0 skip:0 total:1  ok' ||
	fail "the module after a crashed one was not read on its own: $out"
printf '%s\n' "$out" | grep -q 'error: suite slub_test did not finish' ||
	fail "the crashed module's suite was not reported unfinished: $out"
# A case the plan announced that never printed a result fails the suite
# even though the suite's own result line says ok.
sed -i -e '/BUG: kernel NULL/d' -e 's/=== MODULE-END slub_kunit rc=139/[    5.400000] ok 1 slub_test/' "$k"
expect_fail 1 'not ok slub_test.<case 2 missing>' python3 "$ROOT/boot/ktap.py" "$k"
# An error the parser finds (a case numbered out of order) fails the run.
sed -i 's/    1..2/    1..1/; s/    ok 1 test_clobber_zone/    ok 2 test_clobber_zone/' "$k"
expect_fail 1 'KTAP of slub_kunit: 1 errors' python3 "$ROOT/boot/ktap.py" "$k"
# The parser's own report is kept on request.
python3 "$ROOT/boot/ktap.py" "$k" --report "$k.report" >/dev/null 2>&1
grep -q 'Expected test number 1 but found 2' "$k.report" ||
	fail "--report does not hold the parser's report: $(cat "$k.report")"
# No parser where one is named: exit 2, named.
expect_fail 2 "ktap: no kunit_parser.py in $k.none" python3 "$ROOT/boot/ktap.py" "$k" --kunit-dir "$k.none"
# PREEMPT_RT's printer thread may write a module's last KTAP lines after the
# job has announced the next module: they still belong to their suite.
cat >"$k" <<'L'
[host +1.0] === MODULE local_lock_kunit
[host +1.0] [    5.000000] KTAP version 1
[host +1.0] [    5.000000] 1..1
[host +1.0] [    5.100000]     # Subtest: local_lock
[host +1.0] [    5.100000]     1..1
[host +1.0] === MODULE-END local_lock_kunit rc=0
[host +1.0] === MODULE slub_sheaves_kunit
[host +1.0] [    5.200000]     ok 1 test_trylock_uncontended
[host +1.0] [    5.300000] ok 1 local_lock
[host +1.0] [    6.000000] KTAP version 1
[host +1.0] [    6.000000] 1..1
[host +1.0] [    6.100000]     # Subtest: slub_sheaves
[host +1.0] [    6.100000]     1..1
[host +1.0] [    6.200000]     ok 1 sheaves_kmalloc
[host +1.0] [    6.300000] ok 1 slub_sheaves
[host +1.0] === MODULE-END slub_sheaves_kunit rc=0
L
out=$(python3 "$ROOT/boot/ktap.py" "$k" --suites local_lock,slub_sheaves 2>&1) ||
	fail "KTAP printed after the next module's marker was lost: $out"
