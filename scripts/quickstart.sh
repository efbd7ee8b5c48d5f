#!/bin/sh
# quickstart.sh: install dependencies, build, index the bundled corpus and
# answer a sample query. Everything lands in build/.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
build/bin/kb-index --db build/kb.sqlite corpus
echo
echo '$ build/bin/kb-query --db build/kb.sqlite --limit 1 0x80070570'
build/bin/kb-query --db build/kb.sqlite --limit 1 0x80070570
