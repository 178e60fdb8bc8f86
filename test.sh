#!/usr/bin/env bash
# Runs every test: .NET unit + integration (real server, real databases), browser end-to-end (tests/DriverOffers.E2E), web units (Vitest),
# and the benchmark smoke run. Prints one closing line "total: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"
passed=0; failed=0; status=0
log=$(mktemp)

dotnet test DriverOffers.slnx 2>&1 | tee "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
while read -r f p; do failed=$((failed + f)); passed=$((passed + p)); done < <(
  grep -E '(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+' "$log" | sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+).*/\1 \2/')

# Web unit tests (Vitest). The server build already ran npm ci when node_modules was missing.
[ -d web/node_modules ] || (cd web && npm ci --no-audit --no-fund)
(cd web && npx vitest run --reporter=dot) 2>&1 | sed 's/\x1b\[[0-9;]*m//g' | tee "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
wp=$(grep -E '^ +Tests ' "$log" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+' || true)
wf=$(grep -E '^ +Tests ' "$log" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+' || true)
passed=$((passed + ${wp:-0})); failed=$((failed + ${wf:-0}))

rm -f "$log"
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ] || status=1
exit $status
