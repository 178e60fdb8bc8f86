#!/usr/bin/env bash
# Runs every test: .NET unit + integration (real server, real databases), web units, browser end-to-end,
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

rm -f "$log"
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ] || status=1
exit $status
