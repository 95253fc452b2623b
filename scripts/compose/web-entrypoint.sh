#!/bin/sh
# As nginx's image does at start: renders /etc/nginx/templates/*.template with envsubst (only
# API_UPSTREAM), runs /docker-entrypoint.d/*.sh, then nginx in the foreground.
set -eu
for template in /etc/nginx/templates/*.template; do
  name="$(basename "$template" .template)"
  envsubst '${API_UPSTREAM}' <"$template" >"/etc/nginx/conf.d/$name"
done
for script in /docker-entrypoint.d/*.sh; do
  [ -x "$script" ] && "$script"
done
exec nginx -p /etc/nginx -c /etc/nginx/nginx.conf -g 'daemon off;'
