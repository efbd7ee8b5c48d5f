#!/bin/sh
# update-po.sh: regenerates i18n/po/kb.pot from the C sources and merges it
# into every i18n/po/*.po, so translators see new messages (untranslated) and
# changed ones (marked fuzzy, which msgfmt skips: English is shown until a
# translator confirms them). Run after adding or changing a _("...") string.
#
#   sh scripts/update-po.sh [EXTRA.c...]
#
# EXTRA files are scanned too: a way to hand translators messages before the
# code that prints them is written. The build compiles the catalogs (msgfmt
# --check); this script only keeps them in step with the code.
set -eu
cd "$(dirname "$0")/.."

po=i18n/po
pot=$po/kb.pot
version=$(sed -n 's/^project(kb VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)

# Sorted file list: the .pot must not change when only the order of a
# directory listing does.
files=$(find common i18n indexer query -name '*.[ch]' | LC_ALL=C sort)

# --add-comments=TRANSLATORS: picks up "/* TRANSLATORS: ... */" notes above a
# message; the c-format flag xgettext infers makes msgfmt --check compare
# printf directives between msgid and msgstr.
xgettext --language=C --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=P_:1,2 \
    --add-comments=TRANSLATORS: --package-name=kb --package-version="${version:-0}" \
    --msgid-bugs-address="the kb issue tracker" --sort-by-file \
    -o "$pot.new" $files "$@"
# The creation date changes on every run: keep the old file when nothing else did.
if [ -f "$pot" ] && diff -q -I '^"POT-Creation-Date:' "$pot" "$pot.new" >/dev/null; then
    rm "$pot.new"
else
    mv "$pot.new" "$pot"
fi

for f in "$po"/*.po; do
    [ -e "$f" ] || continue
    msgmerge --quiet --update --backup=none --sort-by-file "$f" "$pot"
    # Obsolete entries (#~) stay in the file: if a message comes back, its
    # translation is reused. msgfmt ignores them.
    msgfmt --check --statistics -o /dev/null "$f" 2>&1 | sed "s|^|$(basename "$f"): |"
done
