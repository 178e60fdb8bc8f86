#!/usr/bin/env bash
# Starts throwaway MariaDB and PostgreSQL servers for the bench, with DURABLE commits (unlike the test servers):
# MariaDB innodb_flush_log_at_trx_commit=1 + sync_binlog off (no binlog), PostgreSQL fsync=on, synchronous_commit=on.
#   bench/databases.sh start   → prints the --connection strings to use
#   bench/databases.sh stop    → stops both (by the PIDs it recorded) and deletes their data
# Needs: apt-get install -y mariadb-server postgresql-15 (PostgreSQL runs as the postgres user when started by root).
set -euo pipefail
dir=${BENCH_DB_DIR:-/tmp/driver-offers-bench-db}
my_port=${BENCH_MYSQL_PORT:-55306}
pg_port=${BENCH_PG_PORT:-55432}
pgbin=/usr/lib/postgresql/15/bin
[ -x "$pgbin/postgres" ] || pgbin=$(dirname "$(command -v postgres)")

case "${1:-}" in
start)
  mkdir -p "$dir"
  if [ ! -d "$dir/mariadb" ]; then
    mariadb-install-db --no-defaults --datadir="$dir/mariadb" --auth-root-authentication-method=normal --skip-test-db --user=root >/dev/null
  fi
  # setsid: the servers outlive the shell that started them (a caller's session ending must not take them down).
  setsid mariadbd --no-defaults --datadir="$dir/mariadb" --port="$my_port" --bind-address=127.0.0.1 --socket="$dir/mysqld.sock" \
    --pid-file="$dir/mysqld.pid" --skip-name-resolve --skip-log-bin --max-connections=2000 --user=root \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --innodb-flush-log-at-trx-commit=1 --innodb-buffer-pool-size=256M >"$dir/mariadb.log" 2>&1 &
  if [ ! -d "$dir/pg" ]; then
    mkdir -p "$dir/pg"; chown postgres:postgres "$dir/pg" 2>/dev/null || true
    setpriv --reuid=postgres --regid=postgres --init-groups -- "$pgbin/initdb" -D "$dir/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  setsid setpriv --reuid=postgres --regid=postgres --init-groups -- "$pgbin/postgres" -D "$dir/pg" -p "$pg_port" -k "$dir/pg" \
    -c listen_addresses=127.0.0.1 -c max_connections=500 -c shared_buffers=128MB -c fsync=on -c synchronous_commit=on >"$dir/pg.log" 2>&1 &
  for _ in $(seq 1 60); do
    if mariadb -h127.0.0.1 -P"$my_port" -uroot -e "CREATE DATABASE IF NOT EXISTS bench" 2>/dev/null &&
       "$pgbin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -tc "SELECT 1" >/dev/null 2>&1; then break; fi
    sleep 1
  done
  # Say which one did not come up, with its log, instead of printing connection strings to a server that is not there.
  if ! mariadb -h127.0.0.1 -P"$my_port" -uroot -e "SELECT 1" >/dev/null 2>&1; then
    echo "MariaDB did not start on port $my_port; the end of $dir/mariadb.log:" >&2; tail -20 "$dir/mariadb.log" >&2; exit 1
  fi
  if ! "$pgbin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -tc "SELECT 1" >/dev/null 2>&1; then
    echo "PostgreSQL did not start on port $pg_port; the end of $dir/pg.log:" >&2; tail -20 "$dir/pg.log" >&2; exit 1
  fi
  "$pgbin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -tc "SELECT 1 FROM pg_database WHERE datname='bench'" | grep -q 1 ||
    "$pgbin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -c "CREATE DATABASE bench" >/dev/null
  echo "mysql:    --provider mysql --connection \"Server=127.0.0.1;Port=$my_port;User ID=root;Password=;Database=bench;SslMode=Disabled;Maximum Pool Size=200\""
  echo "postgres: --provider postgres --connection \"Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=bench;Maximum Pool Size=200\""
  ;;
stop)
  [ -f "$dir/mysqld.pid" ] && kill "$(cat "$dir/mysqld.pid")" 2>/dev/null || true
  [ -f "$dir/pg/postmaster.pid" ] && kill "$(head -1 "$dir/pg/postmaster.pid")" 2>/dev/null || true
  sleep 3; rm -rf "$dir"
  ;;
*) echo "usage: $0 start|stop"; exit 2 ;;
esac
