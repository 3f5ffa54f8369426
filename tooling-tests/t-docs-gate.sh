# The docs gate fails on a kernel-doc warning or an ABI warning that the
# tip adds, shows it, and lets the base's own warnings pass, also where the
# series moved them to other lines.  On a small stand-in tree (tag base,
# branch queue) with the base's scripts/kernel-doc and get_abi.pl.
. "$(dirname "$0")/lib.sh"
[ -d "$OUT/base.git" ] || { echo "skip: no $OUT/base.git (make src first)"; exit 0; }
d=$(scratch); trap 'rm -rf "$d"' EXIT
L=$d/work/linux
g() { git -C "$L" -c user.name=T -c user.email=t@example.invalid "$@"; }
mkdir -p "$L/scripts" "$L/mm" "$L/Documentation/ABI/testing" || fail "mkdir"
for f in scripts/kernel-doc scripts/get_abi.pl Documentation/ABI/testing/sysfs-kernel-slab; do
	git --git-dir="$OUT/base.git" show "base:$f" >"$L/$f" || fail "no $f in $OUT/base.git"
done
# The base's file: one warning of its own (a parameter not described).
cat >"$L/mm/t.c" <<'EOF'
/**
 * old_one() - the base's
 * Return: 0
 */
static int old_one(int a) { return 0; }
EOF
if ! { g init -q && g add -A && g commit -qm base && g tag base && g checkout -qb queue; }; then
	fail "git"
fi
# run_docs: the gate on the tree as it is; its output in $out, status in $rc.
run_docs() {
	g commit -qam step --allow-empty || fail "git commit"
	out=$(env OUT="$OUT" "$d/gates/test.sh" --workdir "$d/work" --only docs 2>&1)
	rc=$?
}
# The old warning on another line, and a new file without warnings: passes.
sed -i '1i /* a line more */' "$L/mm/t.c"
printf '/**\n * fine() - documented\n * @a: a number\n * Return: 0\n */\nint fine(int a);\n' >"$L/mm/new.h"
g add mm/new.h
run_docs
[ $rc = 0 ] || fail "the base's own warning, moved, failed the gate: $out"
printf '%s\n' "$out" | grep -q 'new 0' || fail "no count of new warnings: $out"
# A warning the tip adds fails it, and is shown; the base's is not.
printf '/**\n * new_one() - the tip'"'"'s\n * Return: 0\n */\nstatic int new_one(int b) { return b; }\n' >>"$L/mm/t.c"
run_docs
[ $rc = 1 ] || fail "a new kernel-doc warning passed ($rc): $out"
printf '%s\n' "$out" | grep -q "'b' not described in 'new_one'" || fail "the new warning is not shown: $out"
printf '%s\n' "$out" | grep -q "'a' not described in 'old_one'" && fail "the base's warning is shown as new: $out"
printf '%s\n' "$out" | grep -qE '^docs +tip +failed' || fail "docs not failed: $out"
# An ABI entry without a description fails it too, though get_abi.pl exits 0.
g checkout -q mm/t.c 2>/dev/null
g reset -q --hard HEAD~1 || fail "git reset"
printf '\nWhat:\t\t/sys/kernel/slab/<cache>/planted\nDate:\t\tJanuary 2025\nContact:\tT <t@example.invalid>\n' \
	>>"$L/Documentation/ABI/testing/sysfs-kernel-slab"
run_docs
[ $rc = 1 ] || fail "an ABI warning passed ($rc): $out"
printf '%s\n' "$out" | grep -q "planted' doesn't have a description" || fail "the ABI warning is not shown: $out"
exit 0
