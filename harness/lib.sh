# Shared by scripts/ and bench/: install and start what the shop needs on a Debian machine.
# Every function is idempotent, so a fresh machine and a warm one take the same path.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_VENV="$ROOT/.venv-tools"
PG_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432}"
# The Stripe stand-in's one port, wherever it runs: for the API tests (their default too, in
# api/tests/api/helpers/stripe.rs), for the native stack, and inside Compose's network.
STRIPE_STANDIN_PORT=8420
# The mail sink (scripts/mail_sink.py): SMTP, and HTTP for its messages, rules and web inbox.
MAIL_SINK_SMTP_PORT=2525
MAIL_SINK_HTTP_PORT=8025

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=0
# apt_install PACKAGE... : installs only what is missing.
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$apt_updated" -eq 0 ]; then
    log "apt-get update"
    as_root apt-get update -qq
    apt_updated=1
  fi
  log "installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# nginx with its SSL and HTTP/2 modules: Debian 12's smallest package of it, or, where a
# distribution no longer splits nginx into flavours (GitHub's Ubuntu runners), its only one.
ensure_nginx() {
  command -v nginx >/dev/null 2>&1 && return 0
  if apt-cache show nginx-light >/dev/null 2>&1; then
    apt_install nginx-light
  else
    apt_install nginx
  fi
}

# Diesel links against libpq.
ensure_build_deps() {
  apt_install libpq-dev pkg-config
}

ensure_postgres() {
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then return 0; fi
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    log "installing PostgreSQL"
    apt_install postgresql
    local version
    version="$(ls /etc/postgresql | sort -V | tail -n 1)"
    # Local trust for the test user, as on the CI machines.
    as_root sed -i -E 's/^(host\s+all\s+all\s+127\.0\.0\.1\/32\s+)\S+/\1trust/' "/etc/postgresql/$version/main/pg_hba.conf"
  fi
  log "starting PostgreSQL"
  local version
  version="$(ls /etc/postgresql | sort -V | tail -n 1)"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && return 0
    sleep 1
  done
  echo "PostgreSQL did not become ready on 127.0.0.1:5432" >&2
  return 1
}

# Python command-line tools for checks, in a project-local virtualenv.
ensure_python_tools() {
  if [ ! -x "$TOOLS_VENV/bin/python" ]; then
    log "creating $TOOLS_VENV"
    python3 -m venv "$TOOLS_VENV"
  fi
  if ! "$TOOLS_VENV/bin/pip" install -q --disable-pip-version-check -r "$ROOT/scripts/requirements-tools.txt"; then
    echo "could not install the Python tools in scripts/requirements-tools.txt" >&2
    return 1
  fi
}

# Starts localstripe on LOCALSTRIPE_PORT (STRIPE_STANDIN_PORT by default) with empty state, leaving
# its pid in LOCALSTRIPE_PID for stop_localstripe. Exports LOCALSTRIPE_URL for the tests.
start_localstripe() {
  local port="${LOCALSTRIPE_PORT:-$STRIPE_STANDIN_PORT}"
  export LOCALSTRIPE_URL="http://127.0.0.1:$port"
  # localstripe keeps its state in this file even with --from-scratch.
  rm -f /tmp/localstripe.pickle
  log "starting localstripe on $LOCALSTRIPE_URL"
  "$TOOLS_VENV/bin/python" "$ROOT/scripts/fake_stripe.py" --port "$port" --from-scratch >"$ROOT/target/localstripe.log" 2>&1 &
  LOCALSTRIPE_PID=$!
  for _ in $(seq 1 50); do
    if curl -s -o /dev/null -u sk_test_probe: "$LOCALSTRIPE_URL/v1/payment_intents?limit=1"; then return 0; fi
    sleep 0.2
  done
  echo "localstripe did not start; see target/localstripe.log" >&2
  return 1
}

# Stops what start_localstripe started, and waits, so that its port is free for the next one.
stop_localstripe() {
  [ -n "${LOCALSTRIPE_PID:-}" ] || return 0
  kill "$LOCALSTRIPE_PID" 2>/dev/null || true
  wait "$LOCALSTRIPE_PID" 2>/dev/null || true
  LOCALSTRIPE_PID=""
}

# Starts the mail sink on MAIL_SINK_SMTP_PORT and MAIL_SINK_HTTP_PORT, empty, leaving its pid in
# MAIL_SINK_PID for stop_mail_sink. Exports MAIL_SINK_URL and MAIL_SINK_SMTP_URL for the tests.
start_mail_sink() {
  export MAIL_SINK_URL="http://127.0.0.1:$MAIL_SINK_HTTP_PORT"
  export MAIL_SINK_SMTP_URL="smtp://127.0.0.1:$MAIL_SINK_SMTP_PORT"
  log "starting the mail sink: $MAIL_SINK_SMTP_URL, inbox at $MAIL_SINK_URL"
  "$TOOLS_VENV/bin/python" "$ROOT/scripts/mail_sink.py" --smtp-port "$MAIL_SINK_SMTP_PORT" \
    --http-port "$MAIL_SINK_HTTP_PORT" >"$ROOT/target/mail-sink.log" 2>&1 &
  MAIL_SINK_PID=$!
  for _ in $(seq 1 50); do
    if curl -sf -o /dev/null "$MAIL_SINK_URL/health"; then return 0; fi
    sleep 0.2
  done
  echo "the mail sink did not start; see target/mail-sink.log" >&2
  return 1
}

stop_mail_sink() {
  [ -n "${MAIL_SINK_PID:-}" ] || return 0
  kill "$MAIL_SINK_PID" 2>/dev/null || true
  wait "$MAIL_SINK_PID" 2>/dev/null || true
  MAIL_SINK_PID=""
}

# Node packages for the storefront, exactly as locked.
ensure_web_deps() {
  if [ ! -d "$ROOT/web/node_modules" ] || [ "$ROOT/web/package-lock.json" -nt "$ROOT/web/node_modules/.package-lock.json" ]; then
    log "installing the storefront's packages (npm ci)"
    npm ci --prefix "$ROOT/web" --no-audit --no-fund --loglevel=error
  fi
}

# Debian's Chromium drives the browser tests; no test tool downloads a browser of its own. Where
# CHROMIUM names a Chromium-based browser already installed (a CI runner whose distribution ships
# Chromium only as a snap), the tests launch that one instead, and only the fonts are installed.
ensure_browser() {
  if [ -n "${CHROMIUM:-}" ]; then
    if [ ! -x "$CHROMIUM" ]; then
      echo "CHROMIUM=$CHROMIUM is not an executable file" >&2
      return 1
    fi
    apt_install fonts-dejavu-core
    return 0
  fi
  apt_install chromium fonts-dejavu-core
}

