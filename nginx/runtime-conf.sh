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
set -eu

out="${1:-/etc/nginx/conf.d/00-runtime.conf}"
proxies="$(printf '%s' "${TRUSTED_PROXIES:-}" | tr ',' ' ')"

for proxy in $proxies; do
  case "$proxy" in
    *[!0-9A-Fa-f.:/]* | "" | */*/*)
      echo "TRUSTED_PROXIES: not an address or CIDR range: $proxy" >&2
      exit 1
      ;;
  esac
done

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
  echo "map \$host \$shop_api_target {"
  echo "    default \"$target\";"
  echo "}"
} >"$out"
