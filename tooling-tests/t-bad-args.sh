# Unknown variable values and arguments give a message and a non-zero exit.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
expect_fail 2 'CONFIG=nosuch is not valid' make -s build CONFIG=nosuch
expect_fail 2 'ACCEL=warp is not valid' make -s boot ACCEL=warp
expect_fail 2 'V=7 is not valid' make -s help V=7
expect_fail 2 "unknown gate 'nosuch'" gates/test.sh --only nosuch
expect_fail 2 "build.sh: unknown configuration 'nosuch'" build/build.sh --config nosuch
expect_fail 2 "unknown accel 'warp'" boot/boot.sh --accel warp
expect_fail 2 "--smp wants a positive number" boot/boot.sh --smp x
expect_fail 2 "unknown argument '--frobnicate'" queue/src.sh --frobnicate
expect_fail 2 "unknown mode 'loud'" boot/scan-log.sh /dev/null loud
expect_fail 2 "unknown backend 'warp'" bench/bench.sh --backend warp
expect_fail 2 "unknown case 'nosuch'" bench/bench.sh --cases floor,nosuch
expect_fail 2 "unknown mode 'bb'" bench/bench.sh --mode bb
expect_fail 2 "--boots wants a positive number" bench/bench.sh --boots 0
expect_fail 2 "unknown shape 'nosuch'" soak/soak.sh --shapes smp2,nosuch
expect_fail 2 "--secs wants seconds" soak/soak.sh --secs 5x
expect_fail 2 "--build wants CONFIG=DIR" soak/soak.sh --build debug
expect_fail 2 "--no-build, but no --build debug=DIR" soak/soak.sh --shapes smp2 --no-build
expect_fail 2 "unknown argument '--frobnicate'" soak/soak.sh --frobnicate
expect_fail 2 "unknown accel 'warp'" soak/soak.sh --latency --accel warp
expect_fail 2 "--boots wants a positive number" soak/soak.sh --latency --boots 0
