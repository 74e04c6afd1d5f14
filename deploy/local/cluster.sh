#!/usr/bin/env bash
# The cluster topology on one machine, on loopback ports: a throwaway PostgreSQL 15, M Orleans silos (src/Silo: grains,
# reminders, outbox dispatcher; ADO.NET clustering in PostgreSQL) and N gateway replicas (HTTP API), each only an
# Orleans client of the silos (Gateway:HostsSilo=false): it finds their gateway ports in the membership table.
#
#   deploy/local/cluster.sh up       build, start everything, wait until every replica is ready, print the URLs
#   deploy/local/cluster.sh status   processes and their /health/ready
#   deploy/local/cluster.sh token --role coordinator --country AT    a token signed with the cluster's key
#   deploy/local/cluster.sh down     stop the replicas (SIGTERM: graceful), stop and delete the database
#
# Settings (environment): RETURNOPS_LOCAL_DIR (/tmp/returnops-local), PG_PORT (55432, or the next free one), GATEWAYS (2),
# GATEWAY_PORT (5181: first gateway's HTTP port; the next ones count up), SILOS (2), SILO_PORT (5191: first silo's
# /health and /metrics), CLUSTER_SILO_PORT (11111: silo-to-silo) and CLUSTER_GATEWAY_PORT (30000: Orleans clients),
# both counting up per silo, Auth__SigningKey (made up and kept in the state directory if unset), SKIP_BUILD=1 to
# reuse the last build. Failure detection and the gateways' client settings are the drill's (docs/reliability.md):
# a SIGKILLed silo is declared dead in about a second, and calls in flight to it time out after 5 s (Orleans: 30 s).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE="${RETURNOPS_LOCAL_DIR:-/tmp/returnops-local}"
PG_BIN=/usr/lib/postgresql/15/bin
# PostgreSQL's port: PG_PORT if set; else, once a cluster runs, the port its `up` chose (kept in $STATE/pg-port); else
# 55432, or the next free port when another server already has it (up says which).
if [ -z "${PG_PORT:-}" ] && [ -f "$STATE/pg-port" ]; then PG_PORT="$(cat "$STATE/pg-port")"; fi
PG_PORT_CHOSEN="${PG_PORT:+yes}"
PG_PORT="${PG_PORT:-55432}"
GATEWAYS="${GATEWAYS:-2}"
GATEWAY_PORT="${GATEWAY_PORT:-5181}"
SILOS="${SILOS:-2}"
SILO_PORT="${SILO_PORT:-5191}"
CLUSTER_SILO_PORT="${CLUSTER_SILO_PORT:-11111}"
CLUSTER_GATEWAY_PORT="${CLUSTER_GATEWAY_PORT:-30000}"
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
  # Logs: no SQL; every delivery at Debug, so that the log shows who did the work; Orleans' membership changes.
  (cd "$dir" && exec setsid env ASPNETCORE_ENVIRONMENT=Production DOTNET_gcServer=0 \
      Storage__Provider=Postgres Storage__ConnectionString="$CONNECTION" Auth__SigningKey="$KEY" Silo__Name="$name" \
      Cluster__Membership=AdoNet Logging__LogLevel__Npgsql=Warning \
      Logging__LogLevel__ReturnOps.Silo.Messaging.OutboxDispatcher=Debug \
      Logging__LogLevel__Orleans.Runtime.MembershipService=Information "$@" \
      dotnet "bin/Release/net10.0/$dll" --urls "http://127.0.0.1:$port" >> "$STATE/logs/$name.log" 2>&1 < /dev/null) &
  echo $! > "$STATE/run/$name.pid"
}

up() {
  if [ -d "$STATE/pg/data" ] || compgen -G "$STATE/run/*.pid" > /dev/null; then
    echo "A cluster is already up in $STATE (deploy/local/cluster.sh status | down)." >&2; exit 1
  fi
  if [ -z "$PG_PORT_CHOSEN" ]; then
    local wanted="$PG_PORT"
    while port_in_use "$PG_PORT" && [ "$PG_PORT" -lt $((wanted + 100)) ]; do PG_PORT=$((PG_PORT + 1)); done
    [ "$PG_PORT" != "$wanted" ] && echo "Port $wanted is taken; PostgreSQL uses port $PG_PORT instead (set PG_PORT to choose)."
    CONNECTION="Host=127.0.0.1;Port=${PG_PORT};Username=postgres;Database=returnops;Timeout=5"
  fi
  local ports=("$PG_PORT") i
  for i in $(seq 0 $((GATEWAYS - 1))); do ports+=($((GATEWAY_PORT + i))); done
  for i in $(seq 0 $((SILOS - 1))); do ports+=($((SILO_PORT + i)) $((CLUSTER_SILO_PORT + i)) $((CLUSTER_GATEWAY_PORT + i))); done
  for i in "${ports[@]}"; do
    if port_in_use "$i"; then
      echo "Port $i is in use; choose others (PG_PORT, GATEWAY_PORT, SILO_PORT, CLUSTER_SILO_PORT, CLUSTER_GATEWAY_PORT)." >&2; exit 1
    fi
  done

  mkdir -p "$STATE/logs" "$STATE/run" "$STATE/pg"
  echo "$PG_PORT" > "$STATE/pg-port"
  rm -f "$STATE"/logs/*.log
  KEY="$(signing_key)"
  if [ "${SKIP_BUILD:-0}" != 1 ]; then
    echo "Building (Release)..."
    # The gateway references src/Silo, so this builds the silo's executable too.
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

  # Silos first: the first applies the storage's, Orleans', the domain's and messaging's migrations to the empty
  # database and opens the cluster; each gateway adds its own tables (idempotency keys, audit log). Migrations take an
  # advisory lock either way. Each silo advertises loopback with ports of its own. The failure-detection values are
  # the drill's (tests/Cluster.Tests/DrillCluster.cs): with two silos the survivor's one vote declares the other dead.
  for i in $(seq 1 "$SILOS"); do
    start_replica "silo-$i" "$ROOT/src/Silo" ReturnOps.Silo.dll $((SILO_PORT + i - 1)) \
      Cluster__AdvertisedAddress=127.0.0.1 Cluster__SiloPort=$((CLUSTER_SILO_PORT + i - 1)) \
      Cluster__GatewayPort=$((CLUSTER_GATEWAY_PORT + i - 1)) Cluster__ProbeTimeout=00:00:01 Cluster__NumMissedProbesLimit=3 \
      Cluster__NumVotesForDeathDeclaration=1 Cluster__TableRefreshTimeout=00:00:05 Cluster__DeathVoteExpirationTimeout=00:00:30 \
      Cluster__IAmAliveTablePublishTimeout=00:00:10
    wait_ready "silo-$i" "http://127.0.0.1:$((SILO_PORT + i - 1))" "$STATE/run/silo-$i.pid"
  done
  # One gateway after the other: the first seeds the participants and the demo scenario (Production seeds it only when
  # asked: Gateway__SeedDemoData=true), the next ones find them.
  # As Orleans clients they reread the live silos every 5 s and give up on a call after 5 s (Orleans: 1 min, 30 s).
  # A booking or a read in flight through a connection that closes when its silo dies is given up at once (503 with
  # Retry-After 1 s, and the client retries): answered again within 5 s of the kill (docs/reliability.md).
  for i in $(seq 1 "$GATEWAYS"); do
    start_replica "gateway-$i" "$ROOT/src/Gateway" ReturnOps.Gateway.dll $((GATEWAY_PORT + i - 1)) \
      Gateway__HostsSilo=false Gateway__SeedDemoData=true Cluster__GatewayListRefreshPeriod=00:00:05 Cluster__ResponseTimeout=00:00:05
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
    case "$name" in gateway-*) role="gateway (API; Orleans client)";; *) role="silo    (grains, reminders, outbox dispatcher)";; esac
    if alive "$pidfile"; then
      port="$(tr '\0' ' ' < "/proc/$(cat "$pidfile")/cmdline" | sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p')"
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
  # Graceful stop: the dispatcher hands unsent lanes back, a silo leaves the cluster and hands its grains over (30 s).
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
  rm -rf "$STATE/pg" "$STATE/run" "$STATE/pg-port"
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
