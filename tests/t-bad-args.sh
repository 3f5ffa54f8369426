# Unknown variable values and arguments give a message and a non-zero exit.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
expect_fail 2 'CONFIG=nosuch is not valid' make -s build CONFIG=nosuch
expect_fail 2 'ACCEL=warp is not valid' make -s boot ACCEL=warp
expect_fail 2 'V=7 is not valid' make -s help V=7
expect_fail 2 "unknown gate 'nosuch'" scripts/test.sh --only nosuch
expect_fail 2 "build.sh: unknown configuration 'nosuch'" scripts/build.sh --config nosuch
expect_fail 2 "unknown accel 'warp'" scripts/boot.sh --accel warp
expect_fail 2 "--smp wants a positive number" scripts/boot.sh --smp x
expect_fail 2 "unknown argument '--frobnicate'" scripts/src.sh --frobnicate
expect_fail 2 "unknown mode 'loud'" scripts/scan-log.sh /dev/null loud
expect_fail 2 "unknown backend 'warp'" scripts/bench.sh --backend warp
expect_fail 2 "unknown case 'nosuch'" scripts/bench.sh --cases floor,nosuch
expect_fail 2 "unknown mode 'bb'" scripts/bench.sh --mode bb
expect_fail 2 "--boots wants a positive number" scripts/bench.sh --boots 0
expect_fail 2 "unknown shape 'nosuch'" scripts/soak.sh --shapes smp2,nosuch
expect_fail 2 "--secs wants seconds" scripts/soak.sh --secs 5x
expect_fail 2 "--build wants CONFIG=DIR" scripts/soak.sh --build debug
expect_fail 2 "--no-build, but no --build debug=DIR" scripts/soak.sh --shapes smp2 --no-build
expect_fail 2 "unknown argument '--frobnicate'" scripts/soak.sh --frobnicate
expect_fail 2 "unknown accel 'warp'" scripts/soak.sh --latency --accel warp
expect_fail 2 "--boots wants a positive number" scripts/soak.sh --latency --boots 0
