#!/bin/sh
# STUB: to be replaced. gen_winerror.sh WINERROR_H OUT_C
set -eu
echo "/* generated */" > "$2"
