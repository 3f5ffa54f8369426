# The KTAP parser counts cases, notices skips, failures and unfinished suites.
. "$(dirname "$0")/lib.sh"
k=$(mktemp); trap 'rm -f "$k"' EXIT
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
python3 "$ROOT/scripts/ktap.py" "$k" --suites slub_test --require slub_test.test_kfree_rcu >/dev/null ||
	fail "a passing log was judged failed"
sed -i 's/ok 3 test_kfree_rcu/ok 3 test_kfree_rcu # SKIP built in/' "$k"
expect_fail 1 'test_kfree_rcu: skip' python3 "$ROOT/scripts/ktap.py" "$k" --require slub_test.test_kfree_rcu
sed -i 's/    ok 1 test_clobber_zone/    not ok 1 test_clobber_zone/' "$k"
expect_fail 1 'suite slub_test failed' python3 "$ROOT/scripts/ktap.py" "$k"
sed -i '$d' "$k"
expect_fail 1 'slub_test did not finish' python3 "$ROOT/scripts/ktap.py" "$k"
expect_fail 1 'suite kasan did not run' python3 "$ROOT/scripts/ktap.py" "$k" --suites kasan
echo '[   9.0] test_meminit: failures: 2 out of 131' >>"$k"
expect_fail 1 'test_meminit: 2 failures' python3 "$ROOT/scripts/ktap.py" "$k" --meminit
