#!/usr/bin/env bash
# Runs every test: .NET unit + integration (real server, real databases), web units, browser end-to-end,
# and the benchmark smoke run. Prints one closing line "total: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"
passed=0; failed=0; status=0
log=$(mktemp)

dotnet test DriverOffers.slnx 2>&1 | tee "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
while read -r f p; do failed=$((failed + f)); passed=$((passed + p)); done < <(
  grep -E '(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+' "$log" | sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+).*/\1 \2/')

# Benchmark smoke run: every scenario small against a Release server; fails on errors such as lost or duplicated
# messages, never on timings. Counts as one test.
dotnet run --project bench/DriverOffers.Bench -c Release -- --quick
if [ $? -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "bench smoke run FAILED"; fi

rm -f "$log"
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ] || status=1
exit $status
