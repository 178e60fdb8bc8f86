#!/usr/bin/env bash
# Runs every test: .NET unit + integration (real server, real databases), browser end-to-end (tests/DriverOffers.E2E), web units (Vitest),
# and the benchmark smoke run. Prints one closing line "total: N passed, N failed".
# The .NET integration suite runs once per database: SQLite, MariaDB and PostgreSQL (DRIVER_OFFERS_TEST_DB); the
# tests start MariaDB and PostgreSQL themselves from the installed binaries (.ci/run installs them).
set -uo pipefail
cd "$(dirname "$0")"
passed=0; failed=0; status=0
log=$(mktemp)

dotnet build DriverOffers.slnx -nologo -v q || { echo "build failed"; echo "total: 0 passed, 1 failed"; exit 1; }

# dotnet_tests DB TARGET FILTER: one pass of the .NET tests on database DB; counts are added to the totals.
dotnet_tests() {
  echo "=== .NET tests on $1"
  DRIVER_OFFERS_TEST_DB=$1 dotnet test "$2" --no-build --filter "$3" 2>&1 | tee "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  while read -r f p; do failed=$((failed + f)); passed=$((passed + p)); done < <(
    grep -E '(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+' "$log" | sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+).*/\1 \2/')
}
# Tests about one provider (Trait Provider) run only in that provider's pass.
dotnet_tests sqlite DriverOffers.slnx 'Provider!=mariadb&Provider!=postgres'
dotnet_tests mariadb tests/DriverOffers.Tests 'Provider!=postgres'
dotnet_tests postgres tests/DriverOffers.Tests 'Provider!=mariadb'

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
