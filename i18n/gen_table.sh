#!/bin/sh
# gen_table.sh TSV OUT.C HEADER ARRAY: turns three-column data (vocab.tsv,
# synonyms.tsv) into a C array, so the binaries need no data file at run
# time. HEADER declares ARRAY as an array of a struct of three strings, in
# the columns' order, and ARRAY_count.
set -eu
in=$1 out=$2 header=$3 array=$4
awk -F '\t' -v src="$(basename "$in")" -v header="$header" -v array="$array" '
BEGIN { printf "/* Generated from %s by gen_table.sh. Do not edit. */\n", src;
        printf "#include \"%s\"\n", header;
        printf "const struct %s_entry %s[] = {\n", array, array }
/^#/ || NF < 3 { next }
{ for (i = 1; i <= 3; i++) { gsub(/\\/, "\\\\", $i); gsub(/"/, "\\\"", $i) }
  printf "    {\"%s\", \"%s\", \"%s\"},\n", $1, $2, $3 }
END { print "};";
      printf "const unsigned %s_count = sizeof %s / sizeof %s[0];\n", array, array, array }
' "$in" > "$out"
