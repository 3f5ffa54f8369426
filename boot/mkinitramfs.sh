#!/bin/bash
# mkinitramfs.sh: build a gzip'ed initramfs without root privileges.
#
#   boot/mkinitramfs.sh OUT.cpio.gz [--job SCRIPT] [--module KO]...
#                          [--file HOST:GUEST]... [--bin PROGRAM]...
#                          [--gen PATH-TO-gen_init_cpio] [--arch x86_64|arm64]
#
# Contents: Debian's busybox-static, boot/guest/init as /init, SCRIPT as
# /guest/job.sh, modules under /extra, extra files where asked, and host
# programs (default: hackbench) with the shared libraries they need.  The
# archive is written by the kernel tree's usr/gen_init_cpio (compiled from
# the work tree's source when no build directory has it).  The archive is
# the same bytes for the same contents (every entry's time is 0, gzip
# stores no name or time): a guest run under QEMU's icount counts the
# instructions of unpacking it, so an archive that differed with the hour
# it was made in moved every later event of the boot by a few instructions,
# and the ticks with them (the patched kernel's bench results differed
# between two boots of the same seed; 2026-12-04).
# --arch arm64: the guest is an arm64 one, so the busybox is Debian's
# arm64 busybox-static (it cannot be installed beside the host's: it is
# downloaded once with "apt-get download" into out/tools/arm64/, which
# needs "dpkg --add-architecture arm64" and an apt-get update; .ci/run does
# both), and host programs (--bin, hackbench) cannot be used.
. "$(dirname "$0")/../lib/lib.sh"

[ $# -ge 1 ] || die $E_USAGE "usage: mkinitramfs.sh OUT.cpio.gz [--job SCRIPT] [--module KO]... [--file HOST:GUEST]... [--bin PROG]... [--gen GEN_INIT_CPIO] [--arch x86_64|arm64]"
OUTF=$1; shift
JOB=$ROOT/boot/guest/smoke.sh
GEN=
MODS=()
FILES=()
BINS=(hackbench)
ARCH=x86_64
BINS_GIVEN=
while [ $# -gt 0 ]; do
	case $1 in
	--arch) ARCH=$2; shift 2 ;;
	--job) JOB=$2; shift 2 ;;
	--module) MODS+=("$2"); shift 2 ;;
	--file) FILES+=("$2"); shift 2 ;;
	--bin) BINS+=("$2"); BINS_GIVEN=1; shift 2 ;;
	--gen) GEN=$2; shift 2 ;;
	*) die $E_USAGE "mkinitramfs.sh: unknown argument '$1'" ;;
	esac
done
[ -f "$JOB" ] || die $E_USAGE "guest job script $JOB not found"
check_choice arch "$ARCH" x86_64 arm64
if [ "$ARCH" = arm64 ]; then
	[ -z "$BINS_GIVEN" ] ||
		die $E_USAGE "mkinitramfs.sh: --bin copies host (x86_64) programs; an arm64 guest cannot run them"
	BINS=()
	BB=$OUT/tools/arm64/busybox
	if [ ! -x "$BB" ]; then
		d=$(mktemp -d)
		# apt's sandbox user must be able to write the download there
		chmod 755 "$d"
		trap 'rm -rf "$d"' EXIT
		say APT "download busybox-static:arm64"
		(cd "$d" && apt-get download -q busybox-static:arm64 >"$d/log" 2>&1) ||
			die $E_USAGE "mkinitramfs.sh: cannot download busybox-static:arm64 ($(grep -m1 '^E:' "$d/log" || tail -1 "$d/log")); apt needs the architecture: dpkg --add-architecture arm64 && apt-get update"
		dpkg-deb -x "$d"/busybox-static_*_arm64.deb "$d/x" ||
			die $E_USAGE "mkinitramfs.sh: cannot unpack busybox-static:arm64"
		# /bin/busybox, or /usr/bin/busybox once Debian has moved it
		for b in "$d/x/bin/busybox" "$d/x/usr/bin/busybox" ""; do [ -f "$b" ] && break; done
		[ -n "$b" ] || die $E_USAGE "mkinitramfs.sh: no busybox in busybox-static:arm64"
		{ mkdir -p "$OUT/tools/arm64" && cp "$b" "$BB.tmp" && mv "$BB.tmp" "$BB"; } ||
			die $E_USAGE "mkinitramfs.sh: cannot copy busybox to $BB"
		rm -rf "$d"
		trap - EXIT
	fi
	command -v file >/dev/null || need_pkgs file
	file -L "$BB" 2>/dev/null | grep -q 'ARM aarch64.*statically linked' ||
		die $E_USAGE "mkinitramfs.sh: $BB is not a static arm64 program"
else
	BB=/bin/busybox
	{ [ -x "$BB" ] && file -L "$BB" 2>/dev/null | grep -q 'statically linked'; } ||
		need_pkgs busybox-static
	[ -x "$BB" ] || die $E_USAGE "$BB missing (package busybox-static)"
fi

# gen_init_cpio: the one of the kernel's build directory (--gen), else any
# build's, else compiled from the pinned base's source.
if [ -z "$GEN" ]; then
	for g in "$OUT"/build-*/usr/gen_init_cpio "$OUT"/test/build-*/usr/gen_init_cpio \
		 "$OUT"/bench/build-*/usr/gen_init_cpio; do
		[ -x "$g" ] && { GEN=$g; break; }
	done
fi
# Boots run side by side (the tooling tests do) may both find no program
# on a fresh checkout: each compiles its own copy under a name of its own
# and renames it into place, so that nobody sees a half-written one.
if [ -z "$GEN" ]; then
	GEN=$OUT/tools/gen_init_cpio
	mkdir -p "$OUT/tools"
	if [ ! -x "$GEN" ]; then
		src=$TREE_DIR/usr/gen_init_cpio.c
		tmpsrc=
		if [ ! -f "$src" ]; then
			tmpsrc=$OUT/tools/gen_init_cpio.$$.c
			src=$tmpsrc
			git --git-dir="$OUT/base.git" show base:usr/gen_init_cpio.c >"$src" 2>/dev/null ||
				{ rm -f "$tmpsrc"; die $E_USAGE "no usr/gen_init_cpio.c: no kernel build, no tree and no out/base.git (run make src)"; }
		fi
		if ! gcc -O2 -o "$GEN.$$" "$src" || ! mv -f "$GEN.$$" "$GEN"; then
			rm -f "$GEN.$$" ${tmpsrc:+"$tmpsrc"}
			die $E_USAGE "cannot build gen_init_cpio"
		fi
		[ -z "$tmpsrc" ] || rm -f "$tmpsrc"
	fi
fi
[ -x "$GEN" ] || die $E_USAGE "gen_init_cpio $GEN is not executable"

list=$(mktemp)
trap 'rm -f "$list"' EXIT
declare -A seen
add_dir() { # add_dir /a/b/c : every parent once
	local d=$1 acc='' p
	IFS=/ read -ra parts <<<"${d#/}"
	for p in "${parts[@]}"; do
		acc=$acc/$p
		[ -n "${seen[$acc]:-}" ] && continue
		seen[$acc]=1
		echo "dir $acc 755 0 0" >>"$list"
	done
}
add_file() { # add_file HOST GUEST MODE
	add_dir "$(dirname "$2")"
	echo "file $2 $(readlink -f "$1") $3 0 0" >>"$list"
}
for d in /dev /proc /sys /tmp /root /bin /sbin /mnt /extra /guest /etc; do add_dir $d; done
echo "nod /dev/console 600 0 0 c 5 1" >>"$list"
echo "nod /dev/null 666 0 0 c 1 3" >>"$list"
add_file "$BB" /bin/busybox 755
echo "slink /bin/sh busybox 777 0 0" >>"$list"
add_file "$ROOT/boot/guest/init" /init 755
add_file "$ROOT/boot/guest/lib.sh" /guest/lib.sh 644
add_file "$ROOT/boot/guest/splat-patterns" /guest/splat-patterns 644
add_file "$JOB" /guest/job.sh 755
for m in "${MODS[@]}"; do
	[ -f "$m" ] || die $E_USAGE "module $m not found"
	add_file "$m" "/extra/$(basename "$m")" 644
done
for f in "${FILES[@]}"; do
	h=${f%%:*} g=${f#*:}
	[ -e "$h" ] || die $E_USAGE "extra file $h not found"
	add_file "$h" "$g" "$(stat -c %a "$h")"
done
for b in "${BINS[@]}"; do
	p=$(command -v "$b") || {
		[ "$b" = hackbench ] && need_pkgs rt-tests && p=$(command -v "$b")
	} || die $E_USAGE "program $b not found on the host"
	add_file "$p" "/bin/$(basename "$b")" 755
	for lib in $(ldd "$p" 2>/dev/null | grep -oE '/[^ ]+'); do
		[ -n "${seen[$lib]:-}" ] && continue
		seen[$lib]=1
		add_file "$lib" "$lib" 755
	done
done
tmpc=$OUTF.tmp
"$GEN" -t 0 "$list" | gzip -1 -n >"$tmpc" || die $E_USAGE "gen_init_cpio failed"
mv "$tmpc" "$OUTF"
