#!/usr/bin/env bash
# Adds migration NAME for every provider (SQLite, MySQL/MariaDB, PostgreSQL) so the three sets stay in step.
#   tools/add-migration.sh NAME            add a migration on top of the existing ones
#   tools/add-migration.sh --reset NAME    delete every provider's migrations first and start again from NAME
#                                          (until the first release schema changes are folded into InitialCreate:
#                                          tools/add-migration.sh --reset InitialCreate)
# No database is needed: each provider's design-time factory (Data/Providers) builds the model offline.
set -euo pipefail
cd "$(dirname "$0")/../src/DriverOffers.Server"
reset=0
if [ "${1:-}" = "--reset" ]; then reset=1; shift; fi
name=${1:?usage: tools/add-migration.sh [--reset] NAME}
providers="Sqlite MySql Postgres"

dotnet tool restore >/dev/null
if [ "$reset" = 1 ]; then
  for p in $providers; do rm -rf "Data/Migrations/$p"; done
fi
dotnet build -nologo -v q
for p in $providers; do
  dotnet ef migrations add "$name" --no-build --context "${p}AppDb" -o "Data/Migrations/$p"
done
dotnet build -nologo -v q
echo "Added migration $name for: $providers"
