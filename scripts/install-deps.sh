#!/bin/sh
# install-deps.sh: installs what kb needs to build and test, from Debian 12's
# packages. Run as root (or with sudo). Safe to run again: apt-get skips what
# is already there.
set -eu

PACKAGES="build-essential cmake pkg-config gettext
  libsqlite3-dev sqlite3 libcmark-gfm-dev libcmark-gfm-extensions-dev
  libutf8proc-dev libstemmer-dev libyaml-dev libjansson-dev libzstd-dev libjemalloc-dev
  mingw-w64-common liblingua-stopwords-perl opencc wamerican wbritish wspanish
  python3 xz-utils"
# Tests, sanitizers, fuzzing and the benchmark's peers.
TEST_PACKAGES="clang libclang-rt-14-dev groff-base ripgrep time xapian-tools python3-xapian python3-zstandard"
# The JSON Schema test runs ajv from npm: Debian's node and npm, unless the
# machine already has a node and npm of its own (they would conflict).
command -v npm >/dev/null 2>&1 || TEST_PACKAGES="$TEST_PACKAGES nodejs npm"

want=$PACKAGES
[ "${1:-}" = "--test" ] && want="$PACKAGES $TEST_PACKAGES"

missing=""
for p in $want; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
echo "install-deps: installing$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
