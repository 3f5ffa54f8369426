#!/bin/bash
# tests/run.sh: tests of the tooling itself.  Each tests/t-*.sh is run with
# ROOT and OUT set; it exits 0 on success.  Prints one line per test.
cd "$(dirname "$0")/.." || exit 2
export ROOT=$PWD
export OUT=${OUT:-$ROOT/out}
pass=0 fail=0
for t in tests/t-*.sh; do
	if out=$(bash "$t" 2>&1); then
		pass=$((pass + 1)); echo "  ok      ${t#tests/}"
	else
		fail=$((fail + 1)); echo "  FAILED  ${t#tests/}"
		printf '%s\n' "$out" | tail -15 | sed 's/^/          /'
	fi
done
echo "tooling tests: $pass passed, $fail failed"
[ $fail = 0 ]
