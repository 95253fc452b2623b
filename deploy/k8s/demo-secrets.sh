#!/usr/bin/env bash
# Creates the demo's Secret shop-api-secrets in its namespace (shop-demo unless NAMESPACE says
# otherwise), with values made up here and now: the admin token and the secret that signs order
# lookup links are random, the Stripe keys come from STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET
# (test-mode keys only; empty otherwise, and checkout answers 503), the mail server from SMTP_URL
# (empty otherwise: email is off). Nothing is written to the repository, and nothing is passed on
# a command line where `ps` would show it. An existing Secret is left as it is: delete it first to
# make a new one.
#
#   STRIPE_SECRET_KEY=sk_test_... STRIPE_WEBHOOK_SECRET=whsec_... deploy/k8s/demo-secrets.sh
#   kubectl apply -k deploy/k8s/overlays/demo
#
# The database's password is not made here: CloudNativePG makes it (Secret shop-db-app).
set -euo pipefail
namespace="${NAMESPACE:-shop-demo}"

command -v kubectl >/dev/null || { echo "kubectl is not installed" >&2; exit 1; }
case "${STRIPE_SECRET_KEY:-}" in
  sk_live_* | rk_live_*)
    echo "a demo takes Stripe test-mode keys (sk_test_...), never live ones" >&2
    exit 1
    ;;
esac
if kubectl -n "$namespace" get secret shop-api-secrets >/dev/null 2>&1; then
  echo "secret shop-api-secrets already exists in $namespace; left unchanged"
  exit 0
fi

umask 077
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
random() { od -An -N32 -tx1 /dev/urandom | tr -d ' \n'; }
random >"$dir/admin_api_token"
random >"$dir/order_lookup_secret"
printf '%s' "${STRIPE_SECRET_KEY:-}" >"$dir/stripe_secret_key"
printf '%s' "${STRIPE_WEBHOOK_SECRET:-}" >"$dir/stripe_webhook_secret"
printf '%s' "${SMTP_URL:-}" >"$dir/smtp_url"

# The namespace is the overlay's too; `kubectl apply -k` later adds its labels.
kubectl get namespace "$namespace" >/dev/null 2>&1 || kubectl create namespace "$namespace"
kubectl -n "$namespace" create secret generic shop-api-secrets \
  --from-file="$dir/admin_api_token" --from-file="$dir/order_lookup_secret" \
  --from-file="$dir/stripe_secret_key" --from-file="$dir/stripe_webhook_secret" \
  --from-file="$dir/smtp_url"
echo "the admin token (the bootstrap owner key):"
echo "  kubectl -n $namespace get secret shop-api-secrets -o jsonpath='{.data.admin_api_token}' | base64 -d"
