#!/usr/bin/env bash
# The cluster topology on one machine, on loopback ports: a throwaway PostgreSQL 15, N gateway replicas
# (HTTP API; outbox dispatcher and reminder polling off) and M silo worker replicas (outbox, reminders).
#
#   deploy/local/cluster.sh up       build, start everything, wait until every replica is ready, print the URLs
#   deploy/local/cluster.sh status   processes and their /health/ready
#   deploy/local/cluster.sh token --role coordinator --country AT    a token signed with the cluster's key
#   deploy/local/cluster.sh down     stop the replicas (SIGTERM: graceful), stop and delete the database
#
# Settings (environment): RETURNOPS_LOCAL_DIR (/tmp/returnops-local), PG_PORT (55432), GATEWAYS (2),
# GATEWAY_PORT (5181: first gateway; the next ones count up), WORKERS (1), WORKER_PORT (5191),
# Auth__SigningKey (made up and kept in the state directory if unset), SKIP_BUILD=1 to reuse the last build.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE="${RETURNOPS_LOCAL_DIR:-/tmp/returnops-local}"
PG_BIN=/usr/lib/postgresql/15/bin
PG_PORT="${PG_PORT:-55432}"
GATEWAYS="${GATEWAYS:-2}"
GATEWAY_PORT="${GATEWAY_PORT:-5181}"
WORKERS="${WORKERS:-1}"
WORKER_PORT="${WORKER_PORT:-5191}"
CONNECTION="Host=127.0.0.1;Port=${PG_PORT};Username=postgres;Database=returnops;Timeout=5"

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_ready() { # name url pidfile
  local i
  for i in $(seq 1 120); do
    if curl -fsS -o /dev/null "$2/health/ready" 2>/dev/null; then return 0; fi
    if ! alive "$3"; then echo "$1 exited; last lines of $STATE/logs/$1.log:" >&2; tail -n 30 "$STATE/logs/$1.log" >&2; return 1; fi
    sleep 0.5
  done
  echo "$1 not ready after 60 s; see $STATE/logs/$1.log" >&2
  return 1
}

signing_key() {
  if [ -n "${Auth__SigningKey:-}" ]; then printf '%s' "$Auth__SigningKey"; return; fi
  if [ ! -s "$STATE/signing-key" ]; then
    mkdir -p "$STATE"
    (umask 077; head -c 48 /dev/urandom | base64 -w0 > "$STATE/signing-key")
  fi
  cat "$STATE/signing-key"
}

start_replica() { # name project-dir assembly port extra-env...
  local name="$1" dir="$2" dll="$3" port="$4"; shift 4
  # Run from the project directory: the gateway's content root (wwwroot, appsettings.json) is the working directory.
  # setsid: the replicas outlive this script and get SIGTERM from `down`, not from the terminal.
  # Logs: no SQL; every delivery and reminder tick at Debug, so that the log shows who did the work.
  (cd "$dir" && exec setsid env ASPNETCORE_ENVIRONMENT=Production DOTNET_gcServer=0 \
      Storage__Provider=Postgres Storage__ConnectionString="$CONNECTION" Auth__SigningKey="$KEY" Silo__Name="$name" \
      Logging__LogLevel__Npgsql=Warning Logging__LogLevel__ReturnOps.Silo.Messaging.OutboxDispatcher=Debug \
      Logging__LogLevel__ReturnOps.Runtime.ReminderService=Debug "$@" \
      dotnet "bin/Release/net10.0/$dll" --urls "http://127.0.0.1:$port" >> "$STATE/logs/$name.log" 2>&1 < /dev/null) &
  echo $! > "$STATE/run/$name.pid"
}

up() {
  if [ -d "$STATE/pg/data" ] || compgen -G "$STATE/run/*.pid" > /dev/null; then
    echo "A cluster is already up in $STATE (deploy/local/cluster.sh status | down)." >&2; exit 1
  fi
  local ports=("$PG_PORT") i
  for i in $(seq 0 $((GATEWAYS - 1))); do ports+=($((GATEWAY_PORT + i))); done
  for i in $(seq 0 $((WORKERS - 1))); do ports+=($((WORKER_PORT + i))); done
  for i in "${ports[@]}"; do
    if port_in_use "$i"; then echo "Port $i is in use; choose others (PG_PORT, GATEWAY_PORT, WORKER_PORT)." >&2; exit 1; fi
  done

  mkdir -p "$STATE/logs" "$STATE/run" "$STATE/pg"
  rm -f "$STATE"/logs/*.log
  KEY="$(signing_key)"
  if [ "${SKIP_BUILD:-0}" != 1 ]; then
    echo "Building (Release)..."
    dotnet build "$ROOT/src/Gateway/Gateway.csproj" -c Release -nologo -v q > "$STATE/logs/build.log" 2>&1 \
      || { tail -n 30 "$STATE/logs/build.log" >&2; exit 1; }
  fi

  echo "PostgreSQL 15 on 127.0.0.1:$PG_PORT (data in $STATE/pg)"
  [ "$(id -u)" = 0 ] && chown postgres "$STATE/pg" "$STATE/logs"
  as_postgres "$PG_BIN/initdb" -D "$STATE/pg/data" -U postgres --auth=trust --no-sync -E UTF8 --locale=C > "$STATE/logs/initdb.log"
  # fsync off: a throwaway cluster for trying things, not for data that must survive a power cut.
  as_postgres "$PG_BIN/pg_ctl" -D "$STATE/pg/data" -l "$STATE/logs/postgres.log" -w -t 60 \
    -o "-p $PG_PORT -k $STATE/pg -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=300" start > /dev/null
  "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres returnops

  # Workers first: they apply the runtime's, the domain's and messaging's migrations to the empty database;
  # each gateway adds its own tables (idempotency keys, audit log). Migrations take an advisory lock either way.
  for i in $(seq 1 "$WORKERS"); do
    start_replica "worker-$i" "$ROOT/src/Silo" ReturnOps.Silo.dll $((WORKER_PORT + i - 1))
    wait_ready "worker-$i" "http://127.0.0.1:$((WORKER_PORT + i - 1))" "$STATE/run/worker-$i.pid"
  done
  # One gateway after the other: the first seeds the participants and the demo scenario, the next ones find them.
  for i in $(seq 1 "$GATEWAYS"); do
    start_replica "gateway-$i" "$ROOT/src/Gateway" ReturnOps.Gateway.dll $((GATEWAY_PORT + i - 1)) Silo__Dispatcher=false Silo__Reminders=false
    wait_ready "gateway-$i" "http://127.0.0.1:$((GATEWAY_PORT + i - 1))" "$STATE/run/gateway-$i.pid"
  done
  status
  cat <<TEXT

Web pages and API: the gateway URLs above; OpenAPI at /openapi/v1.json. Logs: $STATE/logs/
A token (signed with the cluster's key, kept in $STATE/signing-key unless Auth__SigningKey is set):
  deploy/local/cluster.sh token --role coordinator --country AT
Stop everything: deploy/local/cluster.sh down
TEXT
}

status() {
  if [ -f "$STATE/pg/data/postmaster.pid" ] && as_postgres "$PG_BIN/pg_ctl" -D "$STATE/pg/data" status > /dev/null 2>&1; then
    echo "postgres    up     postgresql://postgres@127.0.0.1:$PG_PORT/returnops"
  else
    echo "postgres    down"
  fi
  local pidfile name port role code
  for pidfile in "$STATE"/run/*.pid; do
    [ -e "$pidfile" ] || continue
    name="$(basename "$pidfile" .pid)"
    port="$(tr '\0' ' ' < "/proc/$(cat "$pidfile")/cmdline" 2>/dev/null | sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p')"
    case "$name" in gateway-*) role="gateway (API; dispatcher, reminders off)";; *) role="worker  (outbox dispatcher, reminders)";; esac
    if alive "$pidfile"; then
      code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready" || true)"
      printf '%-11s up     http://127.0.0.1:%s  pid %s  ready %s  %s\n' "$name" "$port" "$(cat "$pidfile")" "$code" "$role"
    else
      printf '%-11s exited (see %s/logs/%s.log)\n' "$name" "$STATE" "$name"
    fi
  done
}

down() {
  local pidfile pid i
  for pidfile in "$STATE"/run/*.pid; do
    [ -e "$pidfile" ] || continue
    if alive "$pidfile"; then kill -TERM "$(cat "$pidfile")"; fi
  done
  # Graceful stop: the dispatcher hands unsent lanes back, reminders in flight finish (the hosts allow 30 s).
  for pidfile in "$STATE"/run/*.pid; do
    [ -e "$pidfile" ] || continue
    pid="$(cat "$pidfile")"
    for i in $(seq 1 70); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then echo "$(basename "$pidfile" .pid) did not stop in 35 s; killing it" >&2; kill -KILL "$pid"; fi
    echo "stopped $(basename "$pidfile" .pid)"
    rm -f "$pidfile"
  done
  if [ -f "$STATE/pg/data/postmaster.pid" ]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$STATE/pg/data" -m fast -w stop > /dev/null && echo "stopped postgres"
  fi
  rm -rf "$STATE/pg" "$STATE/run"
  echo "Logs kept in $STATE/logs/"
}

token() {
  KEY="$(signing_key)"
  (cd "$ROOT/src/Gateway" && ASPNETCORE_ENVIRONMENT=Production Auth__SigningKey="$KEY" dotnet bin/Release/net10.0/ReturnOps.Gateway.dll token "$@")
}

case "${1:-}" in
  up) up ;;
  status) status ;;
  down) down ;;
  token) shift; token "$@" ;;
  *) echo "usage: $0 up|status|down|token --role ROLE [--country CC]" >&2; exit 2 ;;
esac
