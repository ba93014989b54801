#!/usr/bin/env bash
# Runs the built test suite (`make test`), keeping its output in .build/test-output.log. When a test
# fails, the lines naming the failures are printed again at the end: a CI log is often read from its
# tail, where a 600-test suite's last lines are the slowest test's, not the failed one's.
#
# Usage: Scripts/run-tests.sh SWIFT WIDTH [swift test flags...]
set -uo pipefail
swift="$1"
width="$2"
shift 2
mkdir -p .build
log=.build/test-output.log
SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH="$width" "$swift" test --skip-build "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
    echo
    echo "=== the suite failed (exit $status); its failure lines, from $log: ==="
    grep -E '✘|recorded an issue|Expectation failed|Fatal error|error:|Caught error' "$log" | grep -v '^✘ Test run with' | head -60
    grep -E '^✘ Test run with' "$log"
fi
exit "$status"
