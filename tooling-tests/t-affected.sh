# affected-objects.py picks the objects a commit can break, builds in full
# when it cannot tell, and the scan-log report shows the trace.
. "$(dirname "$0")/lib.sh"
command -v ctags-universal >/dev/null || fail "ctags-universal is not installed (universal-ctags)"
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
t=$d/linux b=$d/build
mkdir -p "$t/include/linux" "$t/mm" "$t/drv" "$b/mm" "$b/drv"
{ cd "$t" && git init -q && git config user.email t@t && git config user.name t; } || fail "git init"
cat >include/linux/a.h <<'H'
/* a header */
struct thing {
	int x;
};
int foo(int a);
#define FOO_WRAP(a) foo(a)
static inline int bar(void) { return 1; }
H
printf '#include <linux/a.h>\nint u(void) { return foo(1); }\n' >mm/x.c
printf '#include <linux/a.h>\nint v(void) { return FOO_WRAP(2); }\n' >drv/w.c
printf '#include <linux/a.h>\n#include <linux/c.h>\nint y(void) { return bar(); }\n' >drv/y.c
# c.h names foo only in comments: no use of it.
printf '/* c.h: wraps foo() */\nint cfn(void); // not foo\n#define C_STR "foo"\n' >include/linux/c.h
printf 'int z(void) { return 0; }\n' >drv/z.c
printf 'config A\n\tbool "a"\n' >Kconfig
git add -A && git commit -qm base
# kbuild's dependency records, paths relative to the build directory.
cmd() { printf 'savedcmd_%s := gcc\n\nsource_%s := ../linux/%s\n\ndeps_%s := \\\n' "$1" "$1" "$2" "$1"
	shift 2; for h in "$@"; do printf '  ../linux/%s \\\n' "$h"; done
	# shellcheck disable=SC2016 # kbuild's literal $(wildcard ...), not an expansion
	printf '  $(wildcard include/config/A) \\\n\n'; }
cmd mm/x.o mm/x.c include/linux/a.h >"$b/mm/.x.o.cmd"
cmd drv/w.o drv/w.c include/linux/a.h >"$b/drv/.w.o.cmd"
cmd drv/y.o drv/y.c include/linux/a.h include/linux/c.h >"$b/drv/.y.o.cmd"
cmd drv/z.o drv/z.c >"$b/drv/.z.o.cmd"
A() { "$ROOT/build/affected-objects.py" --tree "$t" --build "$b" --commit HEAD --max-share 1 "$@"; }
# A changed prototype: its users, including through the header's macro,
# not drv/y.o, whose other header names it only in comments (its string
# literal does count).
sed -i 's/"foo"/"xfoo"/' include/linux/c.h && git commit -qam nostring
sed -i 's/int foo(int a);/long foo(int a);/' include/linux/a.h && git commit -qam proto
out=$(A) || fail "affected-objects.py failed: $out"
[ "$(printf '%s\n' "$out" | tail -n +2 | tr '\n' ' ')" = "drv/w.o mm/x.o " ] || fail "prototype change: $out"
# The same, read from git's objects while the work tree holds another commit.
proto=$(git rev-parse HEAD)
git checkout -q HEAD~1
out2=$("$ROOT/build/affected-objects.py" --tree "$t" --build "$b" --commit "$proto" --max-share 1) ||
	fail "affected-objects.py failed: $out2"
[ "$out2" = "$out" ] || fail "prototype change, tree elsewhere: $out2"
git checkout -q -
# An affected object of the boot image, which cannot be made alone: a full make.
mkdir -p "$b/arch/x86/boot" arch/x86/boot && printf '#include <linux/a.h>\nint bt(void) { return foo(3); }\n' >arch/x86/boot/bt.c &&
	git add arch/x86/boot/bt.c && git commit -qm boot
cmd arch/x86/boot/bt.o arch/x86/boot/bt.c include/linux/a.h >"$b/arch/x86/boot/.bt.o.cmd"
sed -i 's/long foo(int a);/short foo(int a);/' include/linux/a.h && git commit -qam proto2
out=$(A) || fail "$out"
printf '%s\n' "$out" | grep -q '^FULL: arch/x86/boot/bt.o is made only with the kernel image' || fail "boot image: $out"
rm -r "$b/arch"
# A new member of a struct nobody uses by name: one includer, to parse it.
sed -i 's/	int x;/	int x;\n	int added;/' include/linux/a.h && git commit -qam member
out=$(A) || fail "$out"
[ "$(printf '%s\n' "$out" | tail -n +2 | wc -l)" = 1 ] || fail "member change: $out"
# A new #include: every includer, as make would.
sed -i '1a #include <linux/b.h>' include/linux/a.h && git commit -qam include
out=$(A) || fail "$out"
[ "$(printf '%s\n' "$out" | tail -n +2 | tr '\n' ' ')" = "drv/w.o drv/y.o mm/x.o " ] || fail "#include change: $out"
# A whole #ifdef block added with a new declaration: judged by symbols.
printf '#ifdef CONFIG_A\nint newfn(void);\n#endif\n' >>include/linux/a.h && git commit -qam ifdef
out=$(A) || fail "$out"
printf '%s\n' "$out" | head -1 | grep -q 'symbols newfn' || fail "#ifdef block: $out"
# A touched .c file is compiled; an untouched one that does not include
# the header never is.
echo '/* c */' >>drv/z.c && git commit -qam c
out=$(A) || fail "$out"
[ "$(printf '%s\n' "$out" | tail -n +2)" = drv/z.o ] || fail ".c change: $out"
# Build files it cannot judge: a full make.
printf '\nconfig B\n\tbool "b"\n' >>Kconfig && git commit -qam kconfig
out=$(A) || fail "$out"
printf '%s\n' "$out" | grep -q '^OBJECTS' || fail "Kconfig addition: $out"
printf '\tdefault y\n' >>Kconfig && git commit -qam kconfig2
out=$(A) || fail "$out"
printf '%s\n' "$out" | grep -q '^FULL: Kconfig changes existing options' || fail "Kconfig change: $out"
# ... unless the caller reconfigured and got the same configuration.
out=$(A --config-changed '') || fail "$out"
printf '%s\n' "$out" | grep -q '^OBJECTS' || fail "Kconfig change, configuration unchanged: $out"
# ... or names the symbols that changed: the objects whose dependencies
# name one (include/config/A: all four here), and none for a symbol no
# object uses.
out=$(A --config-changed B) || fail "$out"
[ "$(printf '%s\n' "$out" | tail -n +2 | grep -c .)" = 0 ] || fail "Kconfig change, unused symbol: $out"
out=$(A --config-changed A,B) || fail "$out"
[ "$(printf '%s\n' "$out" | tail -n +2 | tr '\n' ' ')" = "drv/w.o drv/y.o drv/z.o mm/x.o " ] ||
	fail "Kconfig change, used symbol: $out"
expect_fail 2 'comma-separated list of CONFIG_ symbols' A --config-changed 'A B'
echo 'x' >mm/foo.S && git add mm/foo.S && git commit -qm asm
out=$(A) || fail "$out"
printf '%s\n' "$out" | grep -q '^FULL: mm/foo.S' || fail "assembly: $out"
expect_fail 2 'no directory' "$ROOT/build/affected-objects.py" --tree "$d/none" --build "$b" --commit HEAD
mkdir "$d/empty"
expect_fail 3 'no kbuild .cmd files' "$ROOT/build/affected-objects.py" --tree "$t" --build "$d/empty" --commit HEAD~7
# A changed help text changes no option.
printf 'config C\n\tbool "c"\n\thelp\n\t  old words\n' >Kconfig2 && git add Kconfig2 && git commit -qm k3
sed -i 's/old words/new words/' Kconfig2 && git commit -qam k4
out=$(A) || fail "$out"
printf '%s\n' "$out" | grep -q '^OBJECTS' || fail "Kconfig help text: $out"
# A changed Makefile: its directory is a target.
printf 'obj-y += z.o\n' >drv/Makefile && git add drv/Makefile && git commit -qm makefile
out=$(A) || fail "$out"
[ "$(printf '%s\n' "$out" | tail -n +2)" = drv/ ] || fail "Makefile change: $out"
# A deleted file: a full make.
git rm -q drv/z.c && git commit -qm rm
out=$(A) || fail "$out"
printf '%s\n' "$out" | grep -q '^FULL: drv/z.c was deleted or renamed' || fail "deleted file: $out"
# Walking back from a later commit (--from): a .c file and a Makefile of
# a directory that the later commit added are gone, and the Makefile that
# built them is in the diff: no full make, that Makefile's directory.
mkdir -p drv/sub && printf 'int n(void) { return 1; }\n' >drv/sub/n.c &&
	printf 'obj-y += n.o\n' >drv/sub/Makefile && printf 'obj-y += z.o sub/\n' >drv/Makefile &&
	git add -A && git commit -qm added
out=$("$ROOT/build/affected-objects.py" --tree "$t" --build "$b" --commit HEAD~1 --from HEAD) ||
	fail "$out"
[ "$(printf '%s\n' "$out" | tail -n +2)" = drv/ ] || fail "walking back over an added file: $out"
# Another architecture's files and defconfigs are never read by this
# build (an O= build has arch/ of its own architecture only); its own
# architecture's other files are.
git checkout -q HEAD~2 && mkdir -p "$b/arch/x86" arch/powerpc/configs arch/x86/configs arch/x86/kernel
echo 'CONFIG_X=y' >arch/powerpc/configs/p_defconfig && echo 'CONFIG_X=y' >arch/x86/configs/k.config &&
	echo 'x' >arch/powerpc/kernel.S && git add -A && git commit -qm arches
out=$(A) || fail "$out"
[ "$out" = "OBJECTS 0 of 4: symbols (none)" ] || fail "other architecture, defconfigs: $out"
echo 'x' >arch/x86/kernel/head.S && git add -A && git commit -qm x86
out=$(A) || fail "$out"
printf '%s\n' "$out" | grep -q '^FULL: arch/x86/kernel/head.S is read' || fail "own architecture: $out"
# Bad arguments: named, exit 2.
expect_fail 2 'max-share must be in \(0, 1\]' "$ROOT/build/affected-objects.py" --tree "$t" --build "$b" --commit HEAD --max-share 0
expect_fail 2 'bad arguments' "$ROOT/build/affected-objects.py" --tree "$t" --build "$b"
expect_fail 3 'git diff' "$ROOT/build/affected-objects.py" --tree "$t" --build "$b" --commit nosuchrev
# A header that uses a changed symbol only in its inline functions and
# macros passes it on: the objects that call those (through a macro too)
# are affected, not every includer (one of them is compiled, to parse it).
# A header that names it in a function without "inline" uses it: all of
# its includers.
mkdir -p "$b/mm" "$b/drv"
printf '#include <linux/a.h>\n/* w.h: wraps foo() */\nstatic inline int wfoo(int a)\n{\n\treturn foo(a);\n}\n#define WFOO2(a) wfoo(a)\nstatic inline int wother(void) { return 0; }\n' >include/linux/w.h
printf '#include <linux/a.h>\nstatic int pfoo(void) { return foo(4); }\n' >include/linux/p.h
printf '#include <linux/w.h>\nint c1(void) { return WFOO2(1); }\n' >mm/c1.c
printf '#include <linux/w.h>\nint c2(void) { return wother(); }\n' >mm/c2.c
printf '#include <linux/p.h>\nint c3(void) { return 0; }\n' >drv/c3.c
git add -A && git commit -qm wrappers
cmd mm/c1.o mm/c1.c include/linux/a.h include/linux/w.h >"$b/mm/.c1.o.cmd"
cmd mm/c2.o mm/c2.c include/linux/a.h include/linux/w.h >"$b/mm/.c2.o.cmd"
cmd drv/c3.o drv/c3.c include/linux/a.h include/linux/p.h >"$b/drv/.c3.o.cmd"
sed -i 's/short foo(int a);/int foo(int a);/' include/linux/a.h && git commit -qam proto3
out=$(A) || fail "$out"
[ "$(printf '%s\n' "$out" | tail -n +2 | tr '\n' ' ')" = "drv/c3.o drv/w.o mm/c1.o mm/x.o " ] ||
	fail "change passed on by another header's inlines: $out"
# Nobody calls the inline that passes it on: one includer of that header.
printf '#include <linux/w.h>\nint c1(void) { return 1; }\n' >mm/c1.c && git commit -qam nocall
sed -i 's/int foo(int a);/long foo(int a);/' include/linux/a.h && git commit -qam proto4
out=$(A) || fail "$out"
[ "$(printf '%s\n' "$out" | tail -n +2 | tr '\n' ' ')" = "drv/c3.o drv/w.o mm/c1.o mm/x.o " ] ||
	fail "change passed on to no caller: $out"
# The dependency lists are kept in the build directory: a .cmd file that
# changes is read again (mm/c2.o now includes p.h, whose static function
# calls foo(), and w.h: mm/c1.o is no longer needed to parse w.h), and a
# cache that cannot be read is made anew.
[ -f "$b/.affected-objects.deps" ] || fail "no dependency cache in the build directory"
cmd mm/c2.o mm/c2.c include/linux/a.h include/linux/w.h include/linux/p.h >"$b/mm/.c2.o.cmd"
out=$(A) || fail "$out"
[ "$(printf '%s\n' "$out" | tail -n +2 | tr '\n' ' ')" = "drv/c3.o drv/w.o mm/c2.o mm/x.o " ] ||
	fail "a changed .cmd file was not read again: $out"
echo garbage >"$b/.affected-objects.deps"
out2=$(A) || fail "$out2"
[ "$out2" = "$out" ] || fail "with an unreadable dependency cache: $out2"
