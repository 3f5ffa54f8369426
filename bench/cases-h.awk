# cases-h.awk: bench/cases -> the module's case table (cases.h), one
# initializer of struct bench_case per case.  Run by bench/Kbuild.
BEGIN {
	print "/* Generated from bench/cases by bench/cases-h.awk: do not edit. */"
	split("kmalloc BC_KMALLOC shuffle BC_SHUFFLE sheaves BC_SHEAVES nolock BC_NOLOCK", m, " ")
	for (i = 1; i in m; i += 2)
		flag[m[i]] = m[i + 1]
}
/^#/ || !NF { next }
NF != 7 {
	printf "bench/cases:%d: %d fields, want 7\n", NR, NF > "/dev/stderr"
	bad = 1
	exit 1
}
{
	flags = "0"
	if ($5 != "-") {
		n = split($5, f, ",")
		flags = ""
		for (i = 1; i <= n; i++) {
			if (!(f[i] in flag)) {
				printf "bench/cases:%d: unknown flag '%s'\n", NR, f[i] > "/dev/stderr"
				bad = 1
				exit 1
			}
			flags = flags (i > 1 ? " | " : "") flag[f[i]]
		}
	}
	unit = $6 == "-" ? "NULL" : "\"" $6 "\""
	printf "\t{ \"%s\", run_%s, %s, %s, %s, %s },\n", $1, $2, $3, $4, flags, unit
}
END { exit bad }
