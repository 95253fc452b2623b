#!/bin/sh
# Renders TRUSTED_PROXIES (addresses or CIDR ranges of the proxies in front of nginx, separated by
# spaces or commas; empty by default) into nginx's real-IP settings, at the path given or in
# /etc/nginx/conf.d. Only a request from one of them may name the client (X-Forwarded-For) and the
# scheme (X-Forwarded-Proto); from anyone else both headers are ignored. nginx's image runs this
# from /docker-entrypoint.d; scripts/stack runs it for the native stack.
set -eu

out="${1:-/etc/nginx/conf.d/00-trusted-proxies.conf}"
proxies="$(printf '%s' "${TRUSTED_PROXIES:-}" | tr ',' ' ')"

for proxy in $proxies; do
  case "$proxy" in
    *[!0-9A-Fa-f.:/]* | "" | */*/*)
      echo "TRUSTED_PROXIES: not an address or CIDR range: $proxy" >&2
      exit 1
      ;;
  esac
done

{
  echo "# Rendered from TRUSTED_PROXIES by trusted-proxies.sh; do not edit."
  echo "geo \$realip_remote_addr \$shop_from_proxy {"
  echo "    default 0;"
  for proxy in $proxies; do echo "    $proxy 1;"; done
  echo "}"
  for proxy in $proxies; do echo "set_real_ip_from $proxy;"; done
  echo "real_ip_header X-Forwarded-For;"
  echo "real_ip_recursive on;"
} >"$out"
