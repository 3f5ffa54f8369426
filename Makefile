# Thin front end: every target calls one script of the harness (README.md, "Layout").  `make help` lists them.
# Variables (validated by the scripts; an unknown value is an error):
#   CONFIG=NAME                 a row of configs/kernels, for build/boot/shell
#                               (boot/shell: the x86_64 ones)
#   SMP=N MEM=2G NUMA=N         guest shape for boot/shell/run
#   ACCEL=auto|kvm|tcg          QEMU accelerator (auto: KVM only if a probe boot works)
#   APPEND="args"               extra kernel command line for boot
#   ONLY=gate,gate              run only these gates of `make test`
#   BACKEND=qemu|uml|icount|lockstat|rcuscale BOOTS=N CASES=a,b REPS=N SCALE=N   for `make bench`
#                               (BACKEND and BOOTS also for `make run`; its
#                               default backend is uml, bench's is qemu)
#   BASELINE_ONLY=1 / AA=1      bench the baseline only / the baseline against itself
#   AA_DIR=out/results/bench-aa-...  report an A/B run with that A/A run's ratios
#                               beside each case ("shown" / "not shown")
#   TUNE=cache/file=N,...       bench the patched kernel against itself with these
#                               /sys/kernel/slab settings in the B boots
#   SHAPES=a,b DURATION=5m      for `make soak`: shapes of soak/shapes, time per shape
#   V=0|1                       quiet Kbuild-style output, or every command

SHELL := /bin/bash
CONFIG ?= debug
SMP ?= 2
MEM ?= 2G
NUMA ?= 0
ACCEL ?= auto
APPEND ?=
ONLY ?=
V ?= 0
BACKEND ?=
BOOTS ?= 3
CASES ?= all
REPS ?=
SCALE ?=
BASELINE_ONLY ?= 0
TUNE ?=
AA ?= 0
AA_DIR ?=
SHAPES ?=
DURATION ?= 300
export V

ifeq ($(filter $(V),0 1),)
$(error V=$(V) is not valid: use V=0 or V=1)
endif
# The configurations are the rows of configs/kernels.
KERNELS := $(shell awk '!/^\#/ && NF { print $$1 }' configs/kernels)
ifeq ($(filter $(CONFIG),$(KERNELS)),)
$(error CONFIG=$(CONFIG) is not valid: use one of $(KERNELS) (configs/kernels))
endif
ifeq ($(filter $(ACCEL),auto kvm tcg),)
$(error ACCEL=$(ACCEL) is not valid: use auto, kvm or tcg)
endif

ifneq ($(BACKEND),)
ifeq ($(filter $(BACKEND),qemu uml icount lockstat rcuscale),)
$(error BACKEND=$(BACKEND) is not valid: use qemu, uml, icount, lockstat or rcuscale)
endif
endif
ifeq ($(filter $(BASELINE_ONLY),0 1),)
$(error BASELINE_ONLY=$(BASELINE_ONLY) is not valid: use 0 or 1)
endif
ifeq ($(filter $(AA),0 1),)
$(error AA=$(AA) is not valid: use 0 or 1)
endif
BENCH_MODE := $(if $(TUNE),tune,$(if $(filter 1,$(AA)),aa,$(if $(filter 1,$(BASELINE_ONLY)),baseline,ab)))

BUILD := out/build-$(CONFIG)

.PHONY: help src apply export check-exported build boot shell kunit test run bench soak clean

help:
	@echo 'make src             install + verify the pinned base, lay out out/linux = base + patches/'
	@echo 'make export          write base..queue of out/linux into patches/'
	@echo 'make check-exported  exit 0 only if out/linux is committed and equals patches/'
	@echo 'make build           build out/linux with CONFIG=$(CONFIG) into $(BUILD)'
	@echo 'make boot            boot $(BUILD) under QEMU, run boot/guest/smoke.sh (SMP, MEM, NUMA, APPEND)'
	@echo 'make shell           boot $(BUILD) to an interactive busybox shell'
	@echo 'make kunit           slab KUnit suites as modules in a guest (CONFIG=debug)'
	@echo 'make test            all gates on a fresh application of patches/ (ONLY=...)'
	@echo 'make run             build + boot the patched kernel, KUnit, per-cache summary,'
	@echo '                     then the benchmark against baseline (BACKEND=uml, BOOTS=10)'
	@echo 'make bench           baseline vs patched, ABAB boots (BACKEND, BOOTS, CASES, AA=1, AA_DIR=, BASELINE_ONLY=1, TUNE=)'
	@echo 'make soak            stress driver + userspace load under CPU/memory hotplug, fault'
	@echo '                     injection and memory pressure, per shape (SHAPES, DURATION)'
	@echo 'make clean           remove build directories and logs (keeps out/linux)'

src apply:
	@queue/src.sh

export:
	@queue/export.sh

check-exported:
	@queue/check-exported.sh

build:
	@build/build.sh --config $(CONFIG) --out $(BUILD)

boot: build
	@boot/boot.sh --build $(BUILD) --smp $(SMP) --mem $(MEM) --numa $(NUMA) --accel $(ACCEL) \
		$(if $(APPEND),--append " $(APPEND)")

shell: build
	@boot/boot.sh --build $(BUILD) --smp $(SMP) --mem $(MEM) --numa $(NUMA) --accel $(ACCEL) \
		--shell $(if $(APPEND),--append " $(APPEND)")

kunit:
	@build/build.sh --config debug --out out/build-debug
	@gates/kunit.sh --build out/build-debug --smp $(SMP) --accel $(ACCEL)

test:
	@gates/test.sh --smp $(SMP) --accel $(ACCEL) $(if $(ONLY),--only $(ONLY))

run:
	@gates/run.sh --smp $(SMP) --accel $(ACCEL) --backend $(or $(BACKEND),uml) \
		--boots $(if $(filter command line,$(origin BOOTS)),$(BOOTS),10)

bench:
	@bench/bench.sh --backend $(or $(BACKEND),qemu) --mode $(BENCH_MODE) --boots $(BOOTS) \
		$(if $(TUNE),--tune $(TUNE)) $(if $(AA_DIR),--aa $(AA_DIR)) --cases $(CASES) $(if $(REPS),--reps $(REPS)) $(if $(SCALE),--scale $(SCALE)) \
		$(if $(filter command line environment,$(origin SMP)),--smp $(SMP))

soak:
	@soak/soak.sh --secs $(DURATION) --accel $(ACCEL) $(if $(SHAPES),--shapes $(SHAPES))

clean:
	rm -rf out/build-* out/test out/logs out/initramfs-* out/export.* out/check.* out/kunit-parser*
