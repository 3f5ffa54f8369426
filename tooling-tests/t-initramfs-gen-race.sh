# boot/mkinitramfs.sh compiles gen_init_cpio when no kernel build has one
# (a fresh checkout), and boots run side by side: several at once must all
# get a working program and the same archive, never a half-written one
# (the tooling gate failed once with "gen_init_cpio ... is not
# executable" while another test's boot was compiling it).
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
# A scratch OUT with the kernel source of gen_init_cpio and no build.
mkdir -p "$d/out/linux/usr"
if [ -f "$OUT/linux/usr/gen_init_cpio.c" ]; then
	cp "$OUT/linux/usr/gen_init_cpio.c" "$d/out/linux/usr/"
else
	git --git-dir="$OUT/base.git" show base:usr/gen_init_cpio.c >"$d/out/linux/usr/gen_init_cpio.c" 2>/dev/null ||
		fail "no usr/gen_init_cpio.c in $OUT/linux or $OUT/base.git (make src first)"
fi
printf 'echo hello\n' >"$d/job.sh"
for round in 1 2 3; do
	rm -f "$d/out/tools/gen_init_cpio"
	pids=()
	for i in 1 2 3 4; do
		OUT=$d/out boot/mkinitramfs.sh "$d/$i.cpio.gz" --job "$d/job.sh" >"$d/$i.log" 2>&1 &
		pids+=($!)
	done
	for i in 1 2 3 4; do
		wait "${pids[$((i - 1))]}" ||
			fail "round $round: mkinitramfs.sh $i of 4 failed: $(tail -3 "$d/$i.log")"
	done
	for i in 2 3 4; do
		cmp -s "$d/1.cpio.gz" "$d/$i.cpio.gz" || fail "round $round: archives 1 and $i differ"
	done
	[ -x "$d/out/tools/gen_init_cpio" ] || fail "round $round: no gen_init_cpio in the scratch OUT"
	leftovers=$(find "$d/out/tools" -name 'gen_init_cpio.*' | head -3)
	[ -z "$leftovers" ] || fail "round $round: temporary files left: $leftovers"
done
echo "ok: 4 boots at once on a fresh OUT, 3 rounds: one gen_init_cpio, the same archive"
