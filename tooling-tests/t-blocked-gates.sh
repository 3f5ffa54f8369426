# Gates that cannot run because the series does not apply are counted as
# failed ("not run"), not dropped from "N passed, N failed"; the summary
# has a line per gate, with its budget, and the projection.
. "$(dirname "$0")/lib.sh"
[ -d "$OUT/base.git" ] || { echo "skip: no $OUT/base.git (make src first)"; exit 0; }
d=$(scratch); trap 'rm -rf "$d"' EXIT
mkdir -p "$d/tooling-tests" && cp "$ROOT"/tooling-tests/*.sh "$d/tooling-tests/"
printf 'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\nFrom: T <t@example.invalid>\nDate: Wed, 1 Jan 2025 00:00:00 +0000\nSubject: [PATCH] mm: broken\n\nSigned-off-by: T <t@example.invalid>\n---\ndiff --git a/mm/slub.c b/mm/slub.c\n--- a/mm/slub.c\n+++ b/mm/slub.c\n@@ -1,1 +1,1 @@\n-not in the file\n+nor this\n' >"$d/patches/0001-broken.patch"
printf '0001-broken.patch\n' >"$d/patches/series"
out=$(env OUT="$OUT" "$d/gates/test.sh" --workdir "$d/work" --only apply,export,checkpatch 2>&1)
rc=$?
[ $rc = 1 ] || fail "test.sh exited $rc, expected 1: $out"
printf '%s\n' "$out" | grep -q 'FAIL    export: not run, needs apply, which failed' ||
	fail "export not reported as not run: $out"
printf '%s\n' "$out" | grep -qE '^checkpatch +patch +not run +- +[0-9]+$' || fail "no table line for checkpatch: $out"
printf '%s\n' "$out" | grep -qE '^apply +tip +failed +[0-9]+ +[0-9]+$' || fail "no table line for apply: $out"
# 4 gates not asked for (--only) count their budgets at 80 patches
printf '%s\n' "$out" | grep -qE '^projected at 80 patches with the planned gates: [0-9]+ s \(CI target 3000 s\)$' ||
	fail "no projection: $out"
[ "$(printf '%s\n' "$out" | tail -1)" = "0 passed, 3 failed" ] || fail "wrong summary: $(printf '%s\n' "$out" | tail -1)"
