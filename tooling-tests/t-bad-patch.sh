# A patch that does not apply with exact context is named, and the tree's
# previous queue is left as it was.
. "$(dirname "$0")/lib.sh"
d=$(scratch); trap 'rm -rf "$d"' EXIT
cat >"$d/patches/0001-broken.patch" <<'P'
From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
From: Test <test@example.invalid>
Date: Wed, 1 Jan 2025 00:00:00 +0000
Subject: [PATCH] mm: a patch with wrong context

Signed-off-by: Test <test@example.invalid>
---
 mm/slub.c | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/mm/slub.c b/mm/slub.c
--- a/mm/slub.c
+++ b/mm/slub.c
@@ -1,3 +1,3 @@
 this line is not in mm/slub.c
-neither is this one
+nor this one
 nor that one
P
printf '0001-broken.patch\n' >"$d/patches/series"
T=$OUT/tooltest-linux
expect_fail 1 'patch 0001-broken.patch does not apply' \
	env OUT="$OUT" "$d/queue/src.sh" --dir "$T"
git -C "$T" diff --quiet HEAD || fail "tree left dirty after a failed apply"
# a series naming a missing file
printf '0002-missing.patch\n' >"$d/patches/series"
expect_fail 1 'series names 0002-missing.patch but' \
	env OUT="$OUT" "$d/queue/src.sh" --dir "$T"
