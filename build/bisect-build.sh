#!/bin/bash
# bisect-build.sh: build whatever is checked out in the tree, for
#   cd out/linux && git bisect run ../../build/bisect-build.sh [CONFIG]
# Exit: 0 builds, 1 does not build, 125 cannot test (configuration or
# environment problem: git bisect skips the commit).
. "$(dirname "$0")/../lib/lib.sh"
CONFIG=${1:-check}
TREE=$(git rev-parse --show-toplevel 2>/dev/null) || exit $E_SKIP
msg=$("$ROOT/build/build.sh" --tree "$TREE" --config "$CONFIG" \
	--out "$OUT/build-bisect-$CONFIG" --log "$LOGS/bisect-build.log" 2>&1)
rc=$?
printf '%s\n' "$msg"
case $rc in
0) exit 0 ;;
3) case $msg in *configuration*) exit $E_SKIP ;; esac
   exit 1 ;;
*) exit $E_SKIP ;;
esac
