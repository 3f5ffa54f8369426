# configs/gates is the one list of gates: a malformed row, a gate that
# needs one not listed before it, or a row without a command in test.sh is
# an error naming the problem; planned gates are listed, not run; a gate
# run alone without the tree it needs says so.
. "$(dirname "$0")/lib.sh"
d=$(scratch); trap 'rm -rf "$d"' EXIT
G=$d/configs/gates
cp "$G" "$G.orig"
# a budget that is no number
sed -i 's/^\(export  *run  *patch  *apply  *\)5 /\1five /' "$G"
expect_fail 2 "configs/gates: bad row for 'export'" "$d/gates/test.sh" --workdir "$d/w" --only lint
# a gate needing one that comes later
cp "$G.orig" "$G"
sed -i 's/^\(kunit  *run  *tip  *\)build-debug /\1lean /' "$G"
expect_fail 2 "configs/gates: kunit needs 'lean', which is no gate listed before it" \
	"$d/gates/test.sh" --workdir "$d/w" --only lint
# the same gate twice
cp "$G.orig" "$G"
grep '^lint ' "$G.orig" >>"$G"
expect_fail 2 "configs/gates: 'lint' twice" "$d/gates/test.sh" --workdir "$d/w" --only lint
# no projection line
grep -v '^%project' "$G.orig" >"$G"
expect_fail 2 "no '%project patches=N seconds=S' line" "$d/gates/test.sh" --workdir "$d/w" --only lint
# the soak's shape and length: one line, checked
sed 's/^%soak .*/%soak shape=numa2 secs=3m/' "$G.orig" >"$G"
expect_fail 2 "no '%soak shape=NAME secs=N' line" "$d/gates/test.sh" --workdir "$d/w" --only lint
# a gate test.sh has no command for: asked for, it fails by name
cp "$G.orig" "$G"
printf 'frob  run  tip  -  5  a gate without a command\n' >>"$G"
expect_fail 1 "configs/gates names gate 'frob', which test.sh cannot run" \
	"$d/gates/test.sh" --workdir "$d/w" --only frob
# planned gates are listed with their issue, never run; --only refuses them
# (a planted one: configs/gates may have none)
cp "$G.orig" "$G"
printf 'later  planned:someday  tip  apply  30  a gate an open issue adds\n' >>"$G"
expect_fail 2 "unknown gate 'later'" "$d/gates/test.sh" --workdir "$d/w" --only later
out=$("$d/gates/test.sh" --workdir "$d/w" --only export 2>&1)
printf '%s\n' "$out" | grep -qE '^later +tip +planned +- +30 someday$' || fail "planned gate not listed: $out"
printf '%s\n' "$out" | grep -q 'GATE    later' && fail "a planned gate ran: $out"
# a gate run alone (--only) where the gate it needs never ran: it says what
# is missing, not that the series touches nothing
cp "$G.orig" "$G"
expect_fail 1 "no applied queue in .*: the docs gate reads the apply gate's tree" \
	"$d/gates/test.sh" --workdir "$d/w" --only docs
expect_fail 1 "no applied queue in .*: the checkpatch gate reads the apply gate's tree" \
	"$d/gates/test.sh" --workdir "$d/w" --only checkpatch
expect_fail 1 "no applied queue in .*: the lean gate reads the apply gate's tree" \
	"$d/gates/test.sh" --workdir "$d/w" --only lean
expect_fail 1 "no kernel in .*: the smoke gate boots the build-debug gate's kernel \(run them together: --only apply,build-debug,smoke\)" \
	"$d/gates/test.sh" --workdir "$d/w" --only smoke
expect_fail 1 "no kernel in .*: the rt-selftest gate boots the rt gate's kernel" \
	"$d/gates/test.sh" --workdir "$d/w" --only rt-selftest
# every gate that runs has its command in test.sh's gate_cmd
# shellcheck disable=SC2013 # gate names: one word each
for g in $(awk '!/^[#%]/ && $2 == "run" { print $1 }' "$ROOT/configs/gates"); do
	grep -qE "^	$g\) " "$ROOT/gates/test.sh" || fail "gate $g has no command in test.sh's gate_cmd"
done
exit 0
