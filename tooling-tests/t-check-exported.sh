# check-exported agrees on a freshly applied tree, then names a change.
. "$(dirname "$0")/lib.sh"
T=$OUT/tooltest-linux
env OUT="$OUT" "$ROOT/queue/src.sh" --dir "$T" >/dev/null || fail "src.sh failed"
"$ROOT/queue/check-exported.sh" --tree "$T" >/dev/null || fail "fresh tree does not agree"
echo "/* tooling test */" >>"$T/mm/slub.c"
trap 'git -C "$T" checkout -q -- mm/slub.c' EXIT
expect_fail 1 ' M mm/slub.c' "$ROOT/queue/check-exported.sh" --tree "$T"
git -C "$T" checkout -q -- mm/slub.c
echo "/* tooling test */" >>"$T/mm/slub.c"
git -C "$T" -c user.name=t -c user.email=t@t commit -q -a -m "tooling: extra commit

a commit that was not exported" || fail "commit failed"
expect_fail 1 'not exported to patches/' "$ROOT/queue/check-exported.sh" --tree "$T"
git -C "$T" reset -q --hard HEAD~1
"$ROOT/queue/check-exported.sh" --tree "$T" >/dev/null || fail "reset tree does not agree"
