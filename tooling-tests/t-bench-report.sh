# bench-report.py computes medians, spreads, ratios and the non-overlap
# mark from console logs, and reports boots that left no results.
. "$(dirname "$0")/lib.sh"
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
cat >"$d/meta.json" <<'J'
{"backend": "qemu", "accel": "tcg", "mode": "ab", "boots": 3, "reps": 5,
 "scale": 20, "smp": 2, "a": "baseline", "b": "patched", "patched": "test"}
J
i=0
# A boot's sample is its best repetition (a * 100 hundredths of a ns).
for a in 100 110 105; do
	i=$((i + 1))
	b=$((a / 2))
	printf '[ 1.0] slab_bench: SLAB_BENCH {"case":"cache64_b1","unit":"ns/op","scale":0.01,"reps":[%d,%d,%d],"median":%d}\n' $((a * 100 + 90)) $((a * 100)) $((a * 100 + 300)) $((a * 100 + 90)) >"$d/boot-baseline-$i.log"
	printf 'WORKLOAD {"case":"mmap_x2","unit":"ops/s","value":%d}\n' $((1000 + i)) >>"$d/boot-baseline-$i.log"
	printf '[ 1.0] slab_bench: SLAB_BENCH {"case":"cache64_b1","unit":"ns/op","scale":0.01,"reps":[%d,%d,%d],"median":%d}\n' $((b * 100 + 90)) $((b * 100)) $((b * 100 + 300)) $((b * 100 + 90)) >"$d/boot-patched-$i.log"
	printf 'WORKLOAD {"case":"mmap_x2","unit":"ops/s","value":%d}\n' $((1000 + i)) >>"$d/boot-patched-$i.log"
	# sheaves exist only in the patched kernel: skipped on the baseline
	printf '[ 1.0] slab_bench: SLAB_BENCH {"case":"sheaf64_b1","skipped":true}\n' >>"$d/boot-baseline-$i.log"
	printf '[ 1.0] slab_bench: SLAB_BENCH {"case":"sheaf64_b1","unit":"ns/op","scale":0.01,"reps":[%d],"median":%d}\n' \
		$((b * 50)) $((b * 50)) >>"$d/boot-patched-$i.log"
done
out=$(python3 "$ROOT/bench/bench-report.py" "$d" 2>&1) || fail "report failed: $out"
printf '%s\n' "$out" | grep -qE '^cache64_b1 +ns/op +105\.0 +100\.0-110\.0 +52\.0 +50\.0-55\.0 +0\.495 +\+101\.9% +0\.500 +\*' ||
	fail "cache64_b1 row wrong: $out"
printf '%s\n' "$out" | grep -qE '^mmap_x2 .* \+0\.0% +1\.000 *$' || fail "mmap_x2 row wrong: $out"
printf '%s\n' "$out" | grep -qE '^sheaf64_b1 +ns/op +- +- +26\.0 ' || fail "sheaf64_b1 row wrong: $out"
printf '%s\n' "$out" | grep -qE '^patched +sheaf64_b1 +cache64_b1 +ns/op +26\.0 +52\.0 +0\.500 +\+100\.0%' ||
	fail "same-kernel comparison wrong: $out"
printf '%s\n' "$out" | grep -qE '^sheaf64_b1 +cache64_b1 +ns/op +26\.0 +25\.0-27\.5 +105\.0 +100\.0-110\.0 +0\.248 +\+303\.8% +0\.250 +\*' ||
	fail "patched-with-sheaves vs baseline comparison wrong: $out"
printf '%s\n' "$out" | grep -q 'timings are emulated' || fail "TCG note missing"
[ -s "$d/chart.png" ] || fail "no chart written"
: >"$d/boot-patched-2.log"
expect_fail 1 'boot-patched-2.log: no results' python3 "$ROOT/bench/bench-report.py" "$d"

# Backend icount: time units are shown as instruction counts, with the note
# that they are not time.
d2=$(mktemp -d); trap 'rm -rf "$d" "$d2"' EXIT
cat >"$d2/meta.json" <<'J'
{"backend": "icount", "accel": "icount (guest ns = instructions, single-threaded TCG)",
 "mode": "aa", "boots": 2, "reps": 3, "scale": 20, "smp": 1, "a": "baseline-A",
 "b": "baseline-B", "patched": "a \"quoted\" subject"}
J
for i in 1 2; do
	for l in baseline-A baseline-B; do
		printf '[ 1.0] slab_bench: SLAB_BENCH {"case":"cache64_b1","unit":"ns/op","scale":0.01,"reps":[23590,23600,23610],"median":23600}\n' >"$d2/boot-$l-$i.log"
		printf 'WORKLOAD {"case":"fork","unit":"us/op","value":181.4}\n' >>"$d2/boot-$l-$i.log"
		printf 'WORKLOAD {"case":"mmap","unit":"ops/s","value":66615}\n' >>"$d2/boot-$l-$i.log"
	done
done
out=$(python3 "$ROOT/bench/bench-report.py" "$d2" 2>&1) || fail "icount report failed: $out"
printf '%s\n' "$out" | grep -qE '^cache64_b1 +instr/op +235\.9 ' || fail "icount unit not instr/op: $out"
printf '%s\n' "$out" | grep -qE '^fork +kinstr/op ' || fail "icount workload unit not kinstr/op: $out"
printf '%s\n' "$out" | grep -qE '^mmap +ops/Ginstr ' || fail "icount rate not per Ginstr: $out"
printf '%s\n' "$out" | grep -q 'figures are instruction counts, not time' || fail "icount note missing: $out"
printf '%s\n' "$out" | grep -q 'timings are emulated' && fail "TCG timing note on an icount run: $out"

# Backend lockstat: only the lock counts are reported (the timings of a
# lockdep kernel are dropped), a baseline without barns has 0 barn locks,
# and a case skipped on the baseline is not "missing".
d3=$(mktemp -d); trap 'rm -rf "$d" "$d2" "$d3"' EXIT
cat >"$d3/meta.json" <<'J'
{"backend": "lockstat", "accel": "tcg", "mode": "ab", "boots": 2, "reps": 5,
 "scale": 5, "smp": 1, "a": "baseline", "b": "patched", "patched": "test"}
J
for i in 1 2; do
	for l in baseline patched; do
		f=$d3/boot-$l-$i.log
		{
			printf '[ 1.0] slab_bench: SLAB_BENCH {"case":"cache64_b1","unit":"ns/op","scale":0.01,"reps":[900000],"median":900000,"ops":5000}\n'
			printf 'WORKLOAD {"case":"meminfo_Slab_boot","unit":"kB","value":3000}\n'
			if [ $l = baseline ]; then
				printf 'WORKLOAD {"case":"cache64_b1:list_lock","unit":"acq/kop","value":4.%d0}\n' $i
				printf 'WORKLOAD {"case":"cache64_b1:barn_lock","unit":"acq/kop","value":0.00}\n'
				printf '[ 1.0] slab_bench: SLAB_BENCH {"case":"sheaf64_b1","skipped":true}\n'
			else
				printf 'WORKLOAD {"case":"cache64_b1:list_lock","unit":"acq/kop","value":2.%d0}\n' $i
				printf 'WORKLOAD {"case":"cache64_b1:barn_lock","unit":"acq/kop","value":1.00}\n'
				printf 'WORKLOAD {"case":"sheaf64_b1:list_lock","unit":"acq/kop","value":2.00}\n'
			fi
			printf 'WORKLOAD {"case":"hackbench_proc_sock:locks","unit":"acq/run","value":%d}\n' $((1000 + i))
		} >"$f"
	done
done
out=$(python3 "$ROOT/bench/bench-report.py" "$d3" 2>&1) || fail "lockstat report failed: $out"
printf '%s\n' "$out" | grep -qE '^cache64_b1:list_lock +acq/kop +4\.15 .* 2\.15 ' || fail "lockstat list_lock row wrong: $out"
printf '%s\n' "$out" | grep -qE '^cache64_b1:barn_lock +acq/kop +0\.00 .* 1\.00 ' || fail "lockstat barn_lock row wrong: $out"
printf '%s\n' "$out" | grep -qE '^hackbench_proc_sock:locks +acq/run ' || fail "lockstat workload row missing: $out"
printf '%s\n' "$out" | grep -qE '^sheaf64_b1:list_lock +acq/kop +- ' || fail "lockstat skipped case wrong: $out"
printf '%s\n' "$out" | grep -qE '^(cache64_b1|meminfo_Slab_boot) ' && fail "lockstat report shows timings or meminfo: $out"
printf '%s\n' "$out" | grep -q 'counts, not time' || fail "lockstat note missing: $out"

# Usage: one argument, a directory.
expect_fail 2 'usage: bench-report.py RESULTS_DIR' python3 "$ROOT/bench/bench-report.py"
expect_fail 2 'usage: bench-report.py RESULTS_DIR' python3 "$ROOT/bench/bench-report.py" "$d/meta.json"

# A line that is not JSON (console output interleaved with it) is skipped;
# a case one kernel lacks without having skipped it is named.
d4=$(mktemp -d); trap 'rm -rf "$d" "$d2" "$d3" "$d4"' EXIT
cat >"$d4/meta.json" <<'J'
{"backend": "qemu", "accel": "kvm", "mode": "ab", "boots": 1, "reps": 1,
 "scale": 1, "smp": 1, "a": "baseline", "b": "patched", "patched": "test"}
J
for l in baseline patched; do
	{
		printf '[ 1.0] slab_bench: SLAB_BENCH {"case":"cache64_b1","unit":"ns/op"[ 1.1] irq 9,"median":10}\n'
		printf 'WORKLOAD {"case":"fork","unit":"us/op","value":100}\n'
		[ $l = baseline ] && printf 'WORKLOAD {"case":"exec","unit":"us/op","value":200}\n'
	} >"$d4/boot-$l-1.log"
done
expect_fail 1 'case exec missing for patched' python3 "$ROOT/bench/bench-report.py" "$d4"
out=$(python3 "$ROOT/bench/bench-report.py" "$d4" 2>&1)
printf '%s\n' "$out" | grep -qE '^fork +us/op +100\.0 ' || fail "fork row wrong: $out"
printf '%s\n' "$out" | grep -q '^cache64_b1 ' && fail "a garbled line was counted: $out"
printf '%s\n' "$out" | grep -q 'error: .*boot-' && fail "a garbled line made a boot look empty: $out"

# One kernel (meta.json's "b" empty): its figures, no comparison, no chart.
d5=$(mktemp -d); trap 'rm -rf "$d" "$d2" "$d3" "$d4" "$d5"' EXIT
sed 's/"b": "[^"]*"/"b": ""/' "$d4/meta.json" >"$d5/meta.json"
cp "$d4/boot-baseline-1.log" "$d5/"
out=$(python3 "$ROOT/bench/bench-report.py" "$d5" 2>&1) || fail "one-kernel report failed: $out"
printf '%s\n' "$out" | grep -qE '^exec +us/op +200\.0 +200\.0-200\.0 +- +- +- +- +- *$' || fail "one-kernel row wrong: $out"
[ -e "$d5/chart.png" ] && fail "a chart for one kernel"
# A meta.json that is missing or malformed is named, exit 2.
mv "$d5/meta.json" "$d5/meta.json.good"
expect_fail 2 'meta.json: .*No such file' python3 "$ROOT/bench/bench-report.py" "$d5"
echo '{"backend": ' >"$d5/meta.json"
expect_fail 2 'meta.json: Expecting value' python3 "$ROOT/bench/bench-report.py" "$d5"
sed 's/"backend": "qemu", //' "$d5/meta.json.good" >"$d5/meta.json"
expect_fail 2 'meta.json: no "backend"' python3 "$ROOT/bench/bench-report.py" "$d5"
sed 's/"boots": 1/"boots": "one"/' "$d5/meta.json.good" >"$d5/meta.json"
expect_fail 2 'meta.json: "boots" is not a number' python3 "$ROOT/bench/bench-report.py" "$d5"
mv "$d5/meta.json.good" "$d5/meta.json"
# A JSON result line without what its kind needs: named with its line, the
# rest is still reported, exit 1.
printf 'WORKLOAD {"case":"mmap","value":5}\nSLAB_BENCH {"case":"b1","unit":"ns/op","reps":["x"]}\n' >>"$d5/boot-baseline-1.log"
expect_fail 1 'boot-baseline-1.log:4: malformed WORKLOAD line \(no "unit"\)' python3 "$ROOT/bench/bench-report.py" "$d5"
out=$(python3 "$ROOT/bench/bench-report.py" "$d5" 2>&1)
printf '%s\n' "$out" | grep -q 'boot-baseline-1.log:5: malformed SLAB_BENCH line' || fail "bad reps not named: $out"
printf '%s\n' "$out" | grep -qE '^exec +us/op +200\.0 ' || fail "the good lines were not reported: $out"

# Mode tune: the patched kernel against itself with sysfs settings.  The
# logs of "patched-tuned" are not samples of "patched" (a label that is a
# prefix of the other), the settings are named, and there is no
# comparison with a baseline.
d6=$(mktemp -d); trap 'rm -rf "$d" "$d2" "$d3" "$d4" "$d5" "$d6"' EXIT
cat >"$d6/meta.json" <<'J'
{"backend": "icount", "accel": "icount", "mode": "tune", "boots": 2, "reps": 1,
 "scale": 20, "smp": 1, "a": "patched", "b": "patched-tuned", "patched": "test",
 "tune": "kmalloc-64/sheaf_capacity=4"}
J
for i in 1 2; do
	printf '[ 1.0] slab_bench: SLAB_BENCH {"case":"cache64_b1","unit":"ns/op","scale":0.01,"reps":[10000],"median":10000}\n' >"$d6/boot-patched-$i.log"
	printf '[ 1.0] slab_bench: SLAB_BENCH {"case":"cache64_b1","unit":"ns/op","scale":0.01,"reps":[30000],"median":30000}\n' >"$d6/boot-patched-tuned-$i.log"
done
out=$(python3 "$ROOT/bench/bench-report.py" "$d6" 2>&1) || fail "tune report failed: $out"
printf '%s\n' "$out" | grep -qE '^cache64_b1 +instr/op +100\.0 +100\.0-100\.0 +300\.0 +300\.0-300\.0 +3\.000 ' ||
	fail "tune row wrong (patched took patched-tuned's logs?): $out"
printf '%s\n' "$out" | grep -q 'sysfs settings (bench.sh --mode tune): kmalloc-64/sheaf_capacity=4' ||
	fail "tune settings not named: $out"
! printf '%s\n' "$out" | grep -q "baseline's VERSUS" || fail "tune run compared with a baseline: $out"

# --aa: an A/A run's ratios beside each case, and a verdict per ratio: a
# B/A ratio inside the A/A ratio and its inverse is "not shown".
d7=$(mktemp -d); trap 'rm -rf "$d" "$d2" "$d3" "$d4" "$d5" "$d6" "$d7"' EXIT
cat >"$d7/meta.json" <<'J'
{"backend": "qemu", "accel": "tcg", "mode": "aa", "boots": 1, "reps": 1,
 "scale": 20, "smp": 2, "a": "baseline-A", "b": "baseline-B", "patched": "test"}
J
printf 'SLAB_BENCH {"case":"cache64_b1","unit":"ns/op","scale":0.01,"reps":[10000],"median":10000}\nWORKLOAD {"case":"mmap_x2","unit":"ops/s","value":1000}\n' >"$d7/boot-baseline-A-1.log"
printf 'SLAB_BENCH {"case":"cache64_b1","unit":"ns/op","scale":0.01,"reps":[10400],"median":10400}\nWORKLOAD {"case":"mmap_x2","unit":"ops/s","value":1020}\n' >"$d7/boot-baseline-B-1.log"
out=$(python3 "$ROOT/bench/bench-report.py" "$d7" 2>&1) || fail "A/A report failed: $out"
# (the A/B directory $d still holds the boot without results of a test
# above: exit 1, the table is still printed)
out=$(python3 "$ROOT/bench/bench-report.py" "$d" --aa "$d7" 2>&1)
printf '%s\n' "$out" | grep -qE '^cache64_b1 .* 1\.040 +\+-4\.0% +shown +1\.040 +shown' ||
	fail "cache64_b1 (B/A 0.5, A/A 1.04) not judged shown: $out"
printf '%s\n' "$out" | grep -qE '^mmap_x2 .* 1\.020 +\+-2\.0% +not shown +1\.020 +not shown' ||
	fail "mmap_x2 (B/A 1.0, A/A 1.02) not judged not shown: $out"
# An A/A directory without a report, or the report of an A/B run: exit 2.
expect_fail 2 "bench-report.py: --aa $d6/nosuch/summary.json: .*No such file" \
	python3 "$ROOT/bench/bench-report.py" "$d" --aa "$d6/nosuch"
expect_fail 2 'not the report of an A/A run \(mode ab\)' python3 "$ROOT/bench/bench-report.py" "$d" --aa "$d"
# The A/A run must be of the same backend, vCPUs and scale.
sed -i 's/"backend": "qemu"/"backend": "uml"/' "$d7/meta.json"
python3 "$ROOT/bench/bench-report.py" "$d7" >/dev/null 2>&1 || fail "A/A report (uml) failed"
expect_fail 2 'an A/A run of backend uml, this run has backend qemu' \
	python3 "$ROOT/bench/bench-report.py" "$d" --aa "$d7"
# A ratio that is not a number is named, exit 2.
sed -i 's/"backend": "uml"/"backend": "qemu"/' "$d7/meta.json"
python3 "$ROOT/bench/bench-report.py" "$d7" >/dev/null 2>&1 || fail "A/A report failed"
python3 - "$d7/summary.json" <<'P'
import json, sys
d = json.load(open(sys.argv[1]))
d['rows'][0]['ratio'] = 'x'
json.dump(d, open(sys.argv[1], 'w'))
P
expect_fail 2 'case cache64_b1: "ratio" is not a ratio' python3 "$ROOT/bench/bench-report.py" "$d" --aa "$d7"
# The band's ends, from both sides of 1: an A/A ratio below 1 and a B/A
# ratio that is exactly its inverse are "not shown"; a little beyond is "shown".
python3 - <<P || fail "verdict band ends"
import importlib.util, sys
spec = importlib.util.spec_from_file_location('br', '$ROOT/bench/bench-report.py')
br = importlib.util.module_from_spec(spec); spec.loader.exec_module(br)
for a in range(90, 200):
    for b in range(90, 200):
        aa, r = a / b, b / a
        assert br.verdict(r, br.noise(aa, None)) == 'not shown', (a, b)
        assert br.verdict(aa, br.noise(aa, None)) == 'not shown', (a, b)
assert br.verdict(1.05, br.noise(0.96, None)) == 'shown'
assert br.verdict(0.95, br.noise(1.04, None)) == 'shown'
assert br.verdict(None, br.noise(1.04, None)) == '-'
assert br.verdict(1.5, br.noise(None, 1.1)) == 'no A/A'
# medians of identical kernels that agree (1.000) while their boots spread
# by 1%: a B/A of 1.005 is inside that noise, 1.02 beyond it
assert br.verdict(1.005, br.noise(1.0, 1.01)) == 'not shown'
assert br.verdict(1 / 1.005, br.noise(1.0, 1.01)) == 'not shown'
assert br.verdict(1.02, br.noise(1.0, 1.01)) == 'shown'
P
exit 0
