#!/bin/sh
# gen_vocab.sh VOCAB.TSV OUT.C: turns the vocabulary data into a C table so
# the binaries need no data file at run time.
set -eu
in=$1 out=$2
awk -F '\t' '
BEGIN { print "/* Generated from i18n/vocab.tsv by gen_vocab.sh. Do not edit. */";
        print "#include \"kb_vocab_table.h\"";
        print "const struct kb_vocab_entry kb_vocab_table[] = {" }
/^#/ || NF < 3 { next }
{ gsub(/\\/, "\\\\", $3); gsub(/"/, "\\\"", $3);
  printf "    {\"%s\", \"%s\", \"%s\"},\n", $1, $2, $3 }
END { print "};";
      print "const unsigned kb_vocab_table_count = sizeof kb_vocab_table / sizeof kb_vocab_table[0];" }
' "$in" > "$out"
