#!/bin/sh
# gen_winerror.sh WINERROR_H OUT_C: the Windows error names and values of
# mingw-w64's winerror.h as C data, so kb can decode 0x80070570 offline.
#
# Understood forms (everything else is skipped):
#   #define ERROR_FILE_CORRUPT __MSABI_LONG(1392)
#   #define E_ACCESSDENIED _HRESULT_TYPEDEF_(0x80070005)     (also ...L)
#   #define S_OK ((HRESULT)0x00000000)
#   #define WSAEINTR (WSABASEERR + 4)
#   #define E_NOT_SUFFICIENT_BUFFER HRESULT_FROM_WIN32(ERROR_INSUFFICIENT_BUFFER)
#   #define DNS_ERROR_NO_MEMORY ERROR_OUTOFMEMORY               (alias)
#   #define NOERROR 0
# Ranges and building blocks (FACILITY_*, SEVERITY_*, *_BASE, *_FIRST,
# *_LAST, *_MASK) are used to resolve others but not emitted.
#
# Output: kb_winerror_by_name_tab[] sorted by name (strcmp order) for
# bsearch, and kb_winerror_by_value_tab[], indexes into it sorted by value
# with the preferred name of a value first (ERROR_* and E_* before aliases,
# then the earlier definition). POSIX sh, awk and sort only.
set -eu
in=$1 out=$2
tmp=${out}.tmp.$$
trap 'rm -f "$tmp" "$tmp.names" "$tmp.values"' EXIT

# Pass 1: NAME VALUE RANK LINE, VALUE in decimal.
awk '
function hexval(s,    i, c, v) {
    v = 0
    s = tolower(s)
    for (i = 3; i <= length(s); i++) {
        c = index("0123456789abcdef", substr(s, i, 1))
        if (c == 0) break
        v = v * 16 + c - 1
    }
    return v
}
# Value of a literal ("1392", "0x80070005L", "0U") or of a known name; "" if neither.
function val(s) {
    sub(/[uUlL]+$/, "", s)
    if (s ~ /^0[xX][0-9A-Fa-f]+$/) return hexval(s)
    if (s ~ /^[0-9]+$/) return s + 0
    if (s in V) return V[s]
    return ""
}
function rank(name) {
    if (name ~ /^ERROR_/ || name ~ /^E_/) return 0
    if (name ~ /^WSAE/ || name ~ /^S_/) return 1
    return 2
}
/^#[ \t]*define[ \t]+[A-Za-z_][A-Za-z0-9_]*[ \t]/ {
    line = $0
    sub(/^#[ \t]*define[ \t]+/, "", line)
    name = line
    sub(/[ \t].*$/, "", name)
    expr = substr(line, length(name) + 1)
    gsub(/[ \t]/, "", expr)
    if (name ~ /^_/ || (name in V)) next
    v = ""
    if (expr ~ /^__MSABI_LONG\([^()]*\)$/ || expr ~ /^_HRESULT_TYPEDEF_\([^()]*\)$/) {
        sub(/^[A-Z_]+\(/, "", expr); sub(/\)$/, "", expr)
        v = val(expr)
    } else if (expr ~ /^\(\(HRESULT\)[^()]*\)$/) {
        sub(/^\(\(HRESULT\)/, "", expr); sub(/\)$/, "", expr)
        v = val(expr)
    } else if (expr ~ /^\([A-Za-z_][A-Za-z0-9_]*\+[0-9]+\)$/) {
        sub(/^\(/, "", expr); sub(/\)$/, "", expr)
        split(expr, part, "+")
        base = val(part[1])
        if (base != "") v = base + part[2]
    } else if (expr ~ /^HRESULT_FROM_WIN32\([A-Za-z_0-9]+\)$/) {
        sub(/^HRESULT_FROM_WIN32\(/, "", expr); sub(/\)$/, "", expr)
        code = val(expr)
        if (code != "" && code > 0 && code < 65536) v = 2147942400 + code
        else if (code != "") v = code
    } else if (expr ~ /^[A-Za-z_0-9]+$/) {
        v = val(expr)
    }
    if (v == "") next
    V[name] = v
    if (name ~ /^(FACILITY|SEVERITY)_/ || name ~ /_(BASE|FIRST|LAST|MASK)$/ || name == "WSABASEERR") next
    if (v < 0 || v > 4294967295) next
    printf "%s %.0f %d %d\n", name, v, rank(name), NR
}
' "$in" > "$tmp"

# Pass 2: order by name; pass 3: by value, preferred name first.
LC_ALL=C sort -k1,1 "$tmp" > "$tmp.names"
awk '{ print $2, $3, $4, NR - 1 }' "$tmp.names" | LC_ALL=C sort -k1,1n -k2,2n -k3,3n > "$tmp.values"

{
    echo "/* Generated from winerror.h by common/gen_winerror.sh. Do not edit. */"
    echo "struct kb_winerror_entry { const char *name; unsigned long value; };"
    echo "const struct kb_winerror_entry kb_winerror_by_name_tab[] = {"
    awk '
    function hex8(v,    s, i, d) {
        s = ""
        for (i = 0; i < 8; i++) { d = v % 16; s = substr("0123456789ABCDEF", d + 1, 1) s; v = (v - d) / 16 }
        return s
    }
    { printf "    {\"%s\", 0x%sul},\n", $1, hex8($2) }' "$tmp.names"
    echo "};"
    echo "const unsigned kb_winerror_count = sizeof kb_winerror_by_name_tab / sizeof kb_winerror_by_name_tab[0];"
    echo "const unsigned short kb_winerror_by_value_tab[] = {"
    awk '{ printf "    %d,\n", $4 }' "$tmp.values"
    echo "};"
} > "$out"
