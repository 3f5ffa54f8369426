#!/bin/bash
# tbprof.sh: build bench/tbprof.c, the QEMU TCG plugin behind
# "boot/boot.sh --profile", into out/tbprof/tbprof.so, and print its path.
#
#   bench/tbprof.sh
#
# A plugin must be built against the plugin header of the QEMU that loads
# it, which Debian ships in no binary package: the script fetches Debian's
# source package of the installed qemu-system-x86 (apt-get source, through
# a deb-src list of its own under out/tbprof/apt, the suites of the
# machine's own apt sources) and takes include/qemu/qemu-plugin.h out of
# it.  Nothing else of the source is kept or built.  Done once per QEMU
# version; later calls only print the path.
# Exit: 0 built (or up to date), 2 no QEMU, no network or no compiler.
. "$(dirname "$0")/../lib/lib.sh"
case ${1:-} in
-h|--help) usage "$0"; exit 0 ;;
'') ;;
*) die $E_USAGE "unknown argument '$1'" ;;
esac

command -v qemu-system-x86_64 >/dev/null || need_pkgs qemu-system-x86
ver=$(dpkg-query -W -f='${source:Version}' qemu-system-x86 2>/dev/null) ||
	die $E_USAGE "qemu-system-x86 is not installed as a Debian package: no plugin header to match"
D=$OUT/tbprof
so=$D/tbprof.so
inc=$D/include-${ver//[^A-Za-z0-9.+-]/_}
hdr=$inc/qemu-plugin.h
if [ -f "$so" ] && [ -f "$hdr" ] && [ "$so" -nt "$ROOT/bench/tbprof.c" ] && [ "$so" -nt "$hdr" ]; then
	echo "$so"
	exit 0
fi
need_logs
log=$LOGS/tbprof.log
: >"$log"
if [ ! -f "$hdr" ]; then
	say APT "qemu $ver source, for qemu-plugin.h" >&2
	apt=$D/apt
	rm -rf "$apt" "$D/src"
	mkdir -p "$apt/lists/partial" "$D/src"
	# The suites the machine installs from, as deb-src lines.
	# shellcheck disable=SC2016 # $(...) is apt's own format syntax
	suites=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 2>/dev/null |
		sort -u | awk '{ print "deb-src " $1 " " $2 " main" }')
	[ -n "$suites" ] || die $E_USAGE "no apt sources found to derive a deb-src list from"
	printf '%s\n' "$suites" >"$apt/sources.list"
	opts=(-o Dir::Etc::SourceList="$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
		-o Dir::State::Lists="$apt/lists" -o Debug::NoLocking=1)
	apt-get "${opts[@]}" update >>"$log" 2>&1 ||
		die $E_USAGE "apt-get update of the deb-src lists failed (log: $log)"
	(cd "$D/src" && apt-get "${opts[@]}" source --download-only "qemu=$ver") >>"$log" 2>&1 ||
		die $E_USAGE "apt-get source qemu=$ver failed (log: $log)"
	orig=$(find "$D/src" -maxdepth 1 -name 'qemu_*.orig.tar.*' | head -1)
	[ -n "$orig" ] || die $E_USAGE "no qemu orig tarball in $D/src (log: $log)"
	mkdir -p "$inc"
	if ! tar -xf "$orig" -O --wildcards '*/include/qemu/qemu-plugin.h' >"$hdr.tmp" 2>>"$log" ||
		[ ! -s "$hdr.tmp" ]; then
		rm -f "$hdr.tmp"
		die $E_USAGE "no include/qemu/qemu-plugin.h in $orig"
	fi
	mv "$hdr.tmp" "$hdr"
	rm -rf "$D/src" "$apt"
fi
say CC "$so" >&2
gcc -O2 -Wall -shared -fPIC -I"$inc" -o "$so.tmp" "$ROOT/bench/tbprof.c" -lpthread >>"$log" 2>&1 ||
	die $E_USAGE "cannot build the plugin (log: $log)"
mv "$so.tmp" "$so"
echo "$so"
