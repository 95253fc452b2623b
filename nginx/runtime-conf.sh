#!/bin/sh
# Renders the settings that are known only where nginx runs, at the path given or in
# /etc/nginx/conf.d/00-runtime.conf. nginx's image runs this from /docker-entrypoint.d;
# scripts/stack and scripts/lint run it for the native stack and the lint.
#
# TRUSTED_PROXIES: addresses or CIDR ranges of the proxies in front of nginx, separated by spaces
# or commas; empty by default. Only a request from one of them may name the client
# (X-Forwarded-For) and the scheme (X-Forwarded-Proto); from anyone else both are ignored.
#
# API_UPSTREAM: where the API is. A DNS name (Compose's `api:8080`) is resolved anew every few
# seconds through the container's resolver, so an API container that restarts with a new address
# is found again. Addresses (the native stack's processes) go through the upstream group and its
# kept-alive connections.
#
# IMAGE_ORIGINS: the hosts other than the shop's own that product images come from, as the API
# reads them: https://host[:port] origins separated by commas; empty by default. They widen the
# CSP's img-src ($shop_img_src), so each must be exactly such an origin: nothing else can reach the
# header.
#
# How the shop is served, into listen.inc beside that file (the server template includes it):
# TLS: `on` (the default) serves HTTPS on TLS_PORT (8443) with TLS_CERTIFICATE and
# TLS_CERTIFICATE_KEY (tls/fullchain.pem and tls/privkey.pem under nginx's directory), and plain HTTP
# on LISTEN_PORT (8080) only redirects there, at PUBLIC_HTTPS_PORT (443: the port browsers use),
# besides answering ACME's HTTP challenges from acme/. `off` serves plain HTTP on LISTEN_PORT, and
# only behind a TLS proxy (TRUSTED_PROXIES not empty) or on a loopback address (127.0.0.1:8088,
# for development): a shopper's card page never travels in clear.
# HSTS_MAX_AGE: seconds browsers keep to HTTPS (63072000, two years, as Mozilla advises; 0 tells
# them to forget). HSTS_PRELOAD: `true` asks to be preloaded in browsers (needs a year at least);
# `false` by default, because leaving the preload list takes months.
set -eu

out="${1:-/etc/nginx/conf.d/00-runtime.conf}"
listen_out="$(dirname "$out")/listen.inc"
tls="${TLS:-on}"
listen_port="${LISTEN_PORT:-8080}"
tls_port="${TLS_PORT:-8443}"
public_https_port="${PUBLIC_HTTPS_PORT:-443}"
hsts_max_age="${HSTS_MAX_AGE:-63072000}"
hsts_preload="${HSTS_PRELOAD:-false}"

fail() {
  echo "$1" >&2
  exit 1
}
# A port, or an IPv4 address and a port: what nginx's `listen` takes here.
listen_address() {
  case "$2" in
    "" | *[!0-9.:]* | *:*:*) fail "$1: not a port or address:port: $2" ;;
  esac
}
listen_address LISTEN_PORT "$listen_port"
listen_address TLS_PORT "$tls_port"
case "$public_https_port" in "" | *[!0-9]*) fail "PUBLIC_HTTPS_PORT: not a port: $public_https_port" ;; esac
case "$hsts_max_age" in "" | *[!0-9]*) fail "HSTS_MAX_AGE: not a number of seconds: $hsts_max_age" ;; esac
[ "${#hsts_max_age}" -le 10 ] || fail "HSTS_MAX_AGE: too large: $hsts_max_age"
case "$hsts_preload" in
  true) [ "$hsts_max_age" -ge 31536000 ] || fail "HSTS_PRELOAD=true needs HSTS_MAX_AGE of a year (31536000) or more" ;;
  false) ;;
  *) fail "HSTS_PRELOAD: true or false, not $hsts_preload" ;;
esac
for path in "${TLS_CERTIFICATE:-}" "${TLS_CERTIFICATE_KEY:-}"; do
  case "$path" in *[!A-Za-z0-9._/-]*) fail "TLS_CERTIFICATE, TLS_CERTIFICATE_KEY: not a plain path: $path" ;; esac
done
proxies="$(printf '%s' "${TRUSTED_PROXIES:-}" | tr ',' ' ')"

for proxy in $proxies; do
  case "$proxy" in
    *[!0-9A-Fa-f.:/]* | "" | */*/*)
      echo "TRUSTED_PROXIES: not an address or CIDR range: $proxy" >&2
      exit 1
      ;;
  esac
done

# What the storefront always loads images from: itself, data: URIs and Stripe.
img_src="'self' data: https://*.stripe.com"
set -f
old_ifs="$IFS"
IFS=,
for origin in ${IMAGE_ORIGINS:-}; do
  origin="${origin#"${origin%%[![:space:]]*}"}"
  origin="${origin%"${origin##*[![:space:]]}"}"
  [ -n "$origin" ] || continue
  port="${origin##*:}"
  case "$port" in *[!0-9]*) port="" ;; esac
  host="${origin#https://}"
  host="${host%:"$port"}"
  case "$origin" in
    *[!a-z0-9.:/-]*) valid=no ;;
    *) valid=yes ;;
  esac
  if [ "$valid" = yes ] && ! printf '%s\n' "$origin" |
    grep -Eq '^https://[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:[1-9][0-9]{0,4})?$'; then
    valid=no
  fi
  if [ "$valid" = no ] || [ "${#host}" -gt 253 ] || { [ -n "$port" ] && [ "$port" -gt 65535 ]; }; then
    echo "IMAGE_ORIGINS: not an origin of the form https://host[:port] (a lower-case host name, an optional port from 1 to 65535, no path): $origin" >&2
    exit 1
  fi
  img_src="$img_src $origin"
done
IFS="$old_ifs"
set +f

upstream="${API_UPSTREAM:-}"
case "$upstream" in
  "" | *";"* | [0-9]* | "["*) target=shop_api ;;
  *[!A-Za-z0-9.:_-]*)
    echo "API_UPSTREAM: not host:port: $upstream" >&2
    exit 1
    ;;
  *) target="$upstream" ;;
esac

{
  echo "# Rendered by runtime-conf.sh; do not edit."
  echo "geo \$realip_remote_addr \$shop_from_proxy {"
  echo "    default 0;"
  for proxy in $proxies; do echo "    $proxy 1;"; done
  echo "}"
  for proxy in $proxies; do echo "set_real_ip_from $proxy;"; done
  echo "real_ip_header X-Forwarded-For;"
  echo "real_ip_recursive on;"
  if [ "$target" != shop_api ]; then
    nameserver="$(awk '$1 == "nameserver" { print $2; exit }' /etc/resolv.conf)"
    if [ -z "$nameserver" ]; then
      echo "no nameserver in /etc/resolv.conf to resolve $target with" >&2
      exit 1
    fi
    case "$nameserver" in *:*) nameserver="[$nameserver]" ;; esac
    echo "resolver $nameserver valid=5s ipv6=off;"
  fi
  echo "map \$host \$shop_img_src {"
  echo "    default \"$img_src\";"
  echo "}"
  echo "map \$host \$shop_api_target {"
  echo "    default \"$target\";"
  echo "}"
  hsts="max-age=$hsts_max_age; includeSubDomains"
  [ "$hsts_preload" = true ] && hsts="$hsts; preload"
  echo "# HSTS only where the browser really came over TLS."
  echo "map \$shop_scheme \$shop_hsts {"
  echo "    https \"$hsts\";"
  echo "    default \"\";"
  echo "}"
  if [ "$tls" = on ]; then
    redirect_port=":$public_https_port"
    [ "$public_https_port" = 443 ] && redirect_port=""
    echo "# Plain HTTP: ACME's challenges, the container's health check, and a redirect to HTTPS."
    echo "server {"
    echo "    listen $listen_port default_server;"
    echo "    server_name _;"
    echo "    location ^~ /.well-known/acme-challenge/ {"
    echo "        root acme;"
    echo "        default_type text/plain;"
    echo "        try_files \$uri =404;"
    echo "    }"
    echo "    location = /nginx-health {"
    echo "        access_log off;"
    echo "        default_type text/plain;"
    echo "        return 200 ok;"
    echo "    }"
    echo "    location / {"
    echo "        return 301 https://\$host$redirect_port\$request_uri;"
    echo "    }"
    echo "}"
  fi
} >"$out"

# `listen … http2` gave way to the `http2` directive in nginx 1.25.1; Debian 12's nginx (the native
# stack) is 1.22, the image's 1.28.
http2_directive=false
version="$(nginx -v 2>&1 | sed -n 's|.*nginx/\([0-9]*\)\.\([0-9]*\)\.\([0-9]*\).*|\1 \2 \3|p')"
if [ -n "$version" ]; then
  set -- $version
  if [ "$1" -gt 1 ] || { [ "$1" -eq 1 ] && { [ "$2" -gt 25 ] || { [ "$2" -eq 25 ] && [ "$3" -ge 1 ]; }; }; }; then
    http2_directive=true
  fi
fi

case "$tls" in
  on)
    {
      echo "# Rendered by runtime-conf.sh; do not edit."
      if [ "$http2_directive" = true ]; then
        echo "listen $tls_port ssl;"
        echo "http2 on;"
      else
        echo "listen $tls_port ssl http2;"
      fi
      echo "ssl_certificate ${TLS_CERTIFICATE:-tls/fullchain.pem};"
      echo "ssl_certificate_key ${TLS_CERTIFICATE_KEY:-tls/privkey.pem};"
      echo "include snippets/tls.conf;"
    } >"$listen_out"
    ;;
  off)
    case "$listen_port" in
      127.*:*) ;;
      *) [ -n "$proxies" ] || fail "TLS=off serves plain HTTP: only behind a TLS proxy (set TRUSTED_PROXIES to its addresses) or on a loopback address (LISTEN_PORT=127.0.0.1:PORT)" ;;
    esac
    {
      echo "# Rendered by runtime-conf.sh; do not edit."
      echo "listen $listen_port;"
    } >"$listen_out"
    ;;
  *) fail "TLS: on or off, not $tls" ;;
esac
