# The checkpatch gate fails on a patch with a checkpatch warning and shows
# the message (its pattern once missed checkpatch's terse format and let
# every warning through).
. "$(dirname "$0")/lib.sh"
[ -d "$OUT/base.git" ] || { echo "skip: no $OUT/base.git (make src first)"; exit 0; }
d=$(scratch); trap 'rm -rf "$d"' EXIT
ctx=$(git --git-dir="$OUT/base.git" show base:mm/slub.c | head -3) || fail "no mm/slub.c in $OUT/base.git"
{
	printf 'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n'
	printf 'From: T <t@example.invalid>\nDate: Wed, 1 Jan 2025 00:00:00 +0000\n'
	printf 'Subject: [PATCH] mm: a comment in a header of slub.c\n\n'
	printf 'A test patch for the checkpatch gate: it adds a line of over 100\ncolumns to a comment.\n\n'
	printf 'Signed-off-by: T <t@example.invalid>\n---\n'
	printf 'diff --git a/mm/slub.c b/mm/slub.c\n--- a/mm/slub.c\n+++ b/mm/slub.c\n@@ -1,3 +1,4 @@\n'
	printf '%s\n' "$ctx" | sed -n '1,2s/^/ /p'
	printf '+ * %s\n' "$(printf 'long%.0s' $(seq 30))"
	printf '%s\n' "$ctx" | sed -n '3s/^/ /p'
	printf -- '-- \n2.39.5\n'
} >"$d/patches/0001-long.patch"
printf '0001-long.patch\n' >"$d/patches/series"
out=$(env OUT="$OUT" "$d/gates/test.sh" --workdir "$d/work" --only apply,checkpatch 2>&1)
rc=$?
printf '%s\n' "$out" | grep -q 'PASS    apply' || fail "the test patch did not apply: $out"
[ $rc = 1 ] || fail "test.sh exited $rc, expected 1: $out"
printf '%s\n' "$out" | grep -q 'WARNING:LONG_LINE' || fail "the warning is not shown: $out"
printf '%s\n' "$out" | grep -qE '^checkpatch +patch +failed' || fail "checkpatch not failed: $out"
exit 0
