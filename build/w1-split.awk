# w1-split.awk: build/build-each.sh's split of one W=1/sparse make's
# output (make -Otarget: each object's output in one piece) by file.
#
#   awk -v src=TREE -v dir=DIR -v files="a.c b/c.c" -f build/w1-split.awk LOG
#
# Every warning or error line, normalised ("file: warning: message", the
# path relative to the tree TREE, no line or column), goes to the file of
# FILES whose object's output it is in: FILE.o's "  CC" line and FILE.c's
# "  CHECK" line (sparse) start that output.  A line seen outside the
# output of every file of FILES (the make's own preparation, another
# target) goes to every file.  Written: DIR/<FILE, / as _>.w for the
# files, DIR/-.w for the rest; a file with nothing to say gets no file.
BEGIN { n = split(files, a, " "); for (i = 1; i <= n; i++) want[a[i]] = 1 }
/^  [A-Z][A-Z0-9_]*( \[M\])? +[^ ]+$/ {
	f = $NF
	if (index(f, src "/") == 1) f = substr(f, length(src) + 2)
	else if (index(f, "../") == 1) f = substr(f, 4)
	sub(/\.o$/, ".c", f)
	if (!(f in want)) f = "-"
	gsub(/\//, "_", f)
	next
}
/^[^ ]+:[0-9]+(:[0-9]+)?: (warning|error):/ {
	line = $0
	if (index(line, src "/") == 1) line = substr(line, length(src) + 2)
	else if (index(line, "../") == 1) line = substr(line, 4)
	sub(/:[0-9]+(:[0-9]+)?: /, ": ", line)
	print line > (dir "/" (f == "" ? "-" : f) ".w")
}
