# Sourced by bench/run and scripts/image, after lib.sh beside it.
# Starts `binary serve` alone on a fresh database and prints two figures: milliseconds until it
# is ready (migrations included) and its resident memory in kB after two idle seconds.
startup_figures() { # binary port
  local binary="$1" port="$2" db="shop_startup_$2"
  psql -q "$PG_URL/postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
  local started_ns pid ready_ms idle_kb
  started_ns="$(date +%s%N)"
  env -i DATABASE_URL="$PG_URL/$db" HOST=127.0.0.1 PORT="$port" METRICS_PORT=$((port + 1)) RUST_LOG=warn "$binary" serve >"$ROOT/target/startup-$port.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/api/v1/health/ready"; do
    kill -0 "$pid" 2>/dev/null || { cat "$ROOT/target/startup-$port.log" >&2; return 1; }
    sleep 0.005
  done
  ready_ms=$(( ($(date +%s%N) - started_ns) / 1000000 ))
  sleep 2
  idle_kb="$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  psql -q "$PG_URL/postgres" -c "DROP DATABASE $db WITH (FORCE)"
  echo "$ready_ms $idle_kb"
}
