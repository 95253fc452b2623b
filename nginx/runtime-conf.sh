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
} >"$out"
