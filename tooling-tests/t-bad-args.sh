# Unknown variable values and arguments give a message and a non-zero exit.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
expect_fail 2 'CONFIG=nosuch is not valid' make -s build CONFIG=nosuch
expect_fail 2 'ACCEL=warp is not valid' make -s boot ACCEL=warp
expect_fail 2 'V=7 is not valid' make -s help V=7
expect_fail 2 'BACKEND=warp is not valid: use qemu, uml, icount, lockstat or rcuscale' make -s bench BACKEND=warp
# Every error names the script that gives it ("error: NAME: ...").
expect_fail 2 "^error: test.sh: unknown gate 'nosuch'" gates/test.sh --only nosuch
expect_fail 2 "^error: build.sh: unknown configuration 'nosuch'" build/build.sh --config nosuch
expect_fail 2 "^error: boot.sh: unknown accel 'warp'" boot/boot.sh --accel warp
expect_fail 2 "^error: boot.sh: --smp wants a positive number" boot/boot.sh --smp x
expect_fail 2 "^error: src.sh: unknown argument '--frobnicate'" queue/src.sh --frobnicate
expect_fail 2 "^error: scan-log.sh: unknown mode 'loud'" boot/scan-log.sh /dev/null loud
expect_fail 2 "^error: bench.sh: unknown backend 'warp'" bench/bench.sh --backend warp
expect_fail 2 "^error: bench.sh: unknown case 'nosuch'" bench/bench.sh --cases floor,nosuch
expect_fail 2 "^error: bench.sh: unknown mode 'bb'" bench/bench.sh --mode bb
expect_fail 2 "^error: bench.sh: --boots wants a positive number" bench/bench.sh --boots 0
expect_fail 2 "^error: bench.sh: --aa /nonexistent: no summary.json there" bench/bench.sh --aa /nonexistent
expect_fail 2 "^error: bench.sh: --aa is for --mode ab and tune" bench/bench.sh --mode aa --aa /nonexistent
expect_fail 2 "^error: soak.sh: unknown shape 'nosuch'" soak/soak.sh --shapes smp2,nosuch
expect_fail 2 "^error: soak.sh: --secs wants seconds" soak/soak.sh --secs 5x
expect_fail 2 "^error: soak.sh: --build wants CONFIG=DIR" soak/soak.sh --build debug
expect_fail 2 "^error: soak.sh: --no-build, but no --build debug=DIR" soak/soak.sh --shapes smp2 --no-build
expect_fail 2 "^error: soak.sh: unknown argument '--frobnicate'" soak/soak.sh --frobnicate
expect_fail 2 "^error: soak.sh: unknown accel 'warp'" soak/soak.sh --latency --accel warp
expect_fail 2 "^error: soak.sh: --boots wants a positive number" soak/soak.sh --latency --boots 0
expect_fail 2 "^error: kunit.sh: unknown part 'most'" gates/kunit.sh --part most
# The accelerator is an option of every script that boots (never taken
# from the environment).
expect_fail 2 "^error: test.sh: unknown accel 'warp'" gates/test.sh --accel warp --only lint
expect_fail 2 "^error: kunit.sh: unknown accel 'warp'" gates/kunit.sh --accel warp
expect_fail 2 "^error: run.sh: unknown accel 'warp'" gates/run.sh --accel warp
expect_fail 2 "^error: soak.sh: unknown accel 'icount'" soak/soak.sh --accel icount
expect_fail 2 "^error: check-exported.sh: unknown argument '--frob'" queue/check-exported.sh --frob
expect_fail 2 "^error: build-each.sh: " build/build-each.sh --frobnicate
expect_fail 2 "^error: mkinitramfs.sh: " boot/mkinitramfs.sh
expect_fail 2 "^error: mkinitramfs.sh: unknown arch 'mips'" boot/mkinitramfs.sh /dev/null --arch mips
expect_fail 2 "^error: mkinitramfs.sh: --bin copies host \(x86_64\) programs" \
	boot/mkinitramfs.sh /dev/null --arch arm64 --bin ls
expect_fail 2 "^error: kunit.sh: no arm64 kernel in /nonexistent" gates/kunit.sh --part arm64 --build /nonexistent
# bench/cases: a case line the module's table cannot be made from fails
# its generation, naming the line; the real list makes one entry a case.
tmpc=$(mktemp)
printf 'ok pairs 64 1 - - -\nbad pairs 64 1 kmalloc,turbo - -\n' >"$tmpc"
expect_fail 1 "bench/cases:2: unknown flag 'turbo'" awk -f bench/cases-h.awk "$tmpc"
printf 'short pairs 64\n' >"$tmpc"
expect_fail 1 'bench/cases:1: 3 fields, want 7' awk -f bench/cases-h.awk "$tmpc"
rm -f "$tmpc"
[ "$(awk -f bench/cases-h.awk bench/cases | grep -c '^	{ "')" = "$(awk '!/^#/ && NF' bench/cases | wc -l)" ] ||
	fail "bench/cases-h.awk does not make one table entry per case of bench/cases"
