# build/w1-split.awk: build-each's split of one W=1/sparse make's output
# by file: each file gets the warnings and errors of its object's output
# (compiler and sparse), normalised; what is outside every file's output
# goes to every file; another target's output is nobody's own.
. "$(dirname "$0")/lib.sh"
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
# As make -j2 -Otarget W=1 C=2 writes it: each object's output in one piece.
cat >"$d/make.log" <<'L'
  CALL    /t/linux/scripts/checksyscalls.sh
/t/linux/include/linux/x.h:12:3: warning: from the preparation [-Wp]
  CC [M]  lib/tests/t.o
lib/tests/t.c:3:1: error: 'z' undeclared
  CHECK   /t/linux/lib/tests/t.c
  CC      mm/slub.o
/t/linux/mm/slub.c:100:5: warning: unused variable 'a' [-Wunused-variable]
../include/linux/slab.h:7: warning: from a header [-Wh]
  CHECK   /t/linux/mm/slub.c
mm/slub.c:200:9: warning: context imbalance in 'f' - different lock contexts for basic block
  CC      kernel/other.o
kernel/other.c:1:2: warning: another target's [-Wo]
L
awk -v src=/t/linux -v dir="$d" -v files="mm/slub.c lib/tests/t.c" \
	-f "$ROOT/build/w1-split.awk" "$d/make.log" || fail "awk failed"
printf '%s\n' "mm/slub.c: warning: unused variable 'a' [-Wunused-variable]" \
	"include/linux/slab.h: warning: from a header [-Wh]" \
	"mm/slub.c: warning: context imbalance in 'f' - different lock contexts for basic block" >"$d/want"
diff "$d/want" "$d/mm_slub.c.w" >/dev/null || fail "mm/slub.c: $(cat "$d/mm_slub.c.w")"
[ "$(cat "$d/lib_tests_t.c.w")" = "lib/tests/t.c: error: 'z' undeclared" ] ||
	fail "lib/tests/t.c: $(cat "$d/lib_tests_t.c.w")"
printf '%s\n' "include/linux/x.h: warning: from the preparation [-Wp]" \
	"kernel/other.c: warning: another target's [-Wo]" >"$d/want"
diff "$d/want" "$d/-.w" >/dev/null || fail "the rest: $(cat "$d/-.w")"
[ "$(find "$d" -name '*.w' | wc -l)" = 3 ] || fail "files written: $(cd "$d" && ls)"
# A file that printed nothing gets no file (build-each reads none as none).
printf '  CC      mm/slub.o\n  CHECK   mm/slub.c\n' >"$d/quiet.log"
mkdir "$d/q"
awk -v src=/t/linux -v dir="$d/q" -v files="mm/slub.c" -f "$ROOT/build/w1-split.awk" "$d/quiet.log" ||
	fail "awk failed on a quiet log"
[ -z "$(ls "$d/q")" ] || fail "a quiet make wrote $(ls "$d/q")"
echo "ok"
