"""Buys through the Compose stack's published port, as a shopper would, with the demo profile's
fake Stripe paying; then, after the API restarted, checks that nothing was lost.

    purchase.py BASE_URL buy|verify STATE_FILE -- COMPOSE_COMMAND...

The fake Stripe server sits on the internal network only, so what Stripe.js would do in the
browser is done from inside its container (`COMPOSE_COMMAND exec stripe ...`).
Test infrastructure only; never shipped.
"""

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request


def call(base, method, path, body=None, headers=None):
    request = urllib.request.Request(
        base + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"content-type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def expect(what, status, wanted, body):
    if status != wanted:
        sys.exit(f"{what}: expected {wanted}, got {status}: {body}")
    return body


def stripe(compose, code):
    """Runs Python in the fake Stripe server's container, against it on localhost."""
    result = subprocess.run(
        [*compose, "exec", "-T", "stripe", "/opt/localstripe/bin/python", "-c", code],
        capture_output=True, text=True, timeout=60,
    )
    if result.returncode != 0:
        sys.exit(f"in the stripe container: {result.stderr}")
    return result.stdout


def post_form(path, fields, secret_key):
    return f"""
import urllib.parse, urllib.request
request = urllib.request.Request("http://127.0.0.1:8420{path}", method="POST",
    data=urllib.parse.urlencode({fields!r}).encode(),
    headers={{"Authorization": "Bearer {secret_key}"}})
print(urllib.request.urlopen(request, timeout=10).read().decode())
"""


def checkout(base, admin, variant_id, key):
    _, cart = call(base, "POST", "/api/v1/carts")
    secret = {"cart-secret": cart["secret"]}
    status, body = call(base, "POST", f"/api/v1/carts/{cart['id']}/items",
                        {"variant_id": variant_id, "quantity": 1}, secret)
    expect("add to cart", status, 200, body)
    # Paris, which the demo catalog's shipping zones serve, by the first shipping option.
    address = {"name": "Ada Lovelace", "line1": "12 Rue de Rivoli", "city": "Paris",
               "postal_code": "75001", "country": "FR"}
    status, body = call(base, "PUT", f"/api/v1/carts/{cart['id']}/shipping-address", address, secret)
    expect("shipping address", status, 200, body)
    status, options = call(base, "GET", f"/api/v1/carts/{cart['id']}/shipping-options", headers=secret)
    expect("shipping options", status, 200, options)
    if not options["options"]:
        sys.exit("the demo shop ships nowhere: was its catalog seeded?")
    status, body = call(base, "PUT", f"/api/v1/carts/{cart['id']}/shipping-method",
                        {"rate_id": options["options"][0]["rate_id"]}, secret)
    expect("shipping method", status, 200, body)
    status, session = call(base, "POST", "/api/v1/checkout/sessions",
                           {"cart_id": cart["id"], "email": "ada@example.com"},
                           {**secret, "idempotency-key": key})
    return expect("checkout", status, 201, session)


def pay(compose, session, secret_key):
    intent = session["client_secret"].split("_secret_")[0]
    stripe(compose, post_form(f"/v1/payment_intents/{intent}", {"payment_method": "pm_card_visa"}, secret_key))
    paid = json.loads(stripe(compose, post_form(f"/v1/payment_intents/{intent}/confirm", {}, secret_key)))
    if paid["status"] != "succeeded":
        sys.exit(f"payment: {paid}")


def wait_paid(base, session):
    deadline = time.time() + 30
    while True:
        _, order = call(base, "GET", f"/api/v1/orders/{session['order_id']}",
                        headers={"order-secret": session["order_secret"]})
        if order and order.get("status") == "paid":
            return order
        if time.time() > deadline:
            sys.exit(f"order never paid: {order}")
        time.sleep(0.5)


def stock(base, admin, variant_id):
    status, body = call(base, "POST", f"/api/v1/admin/variants/{variant_id}/stock", {"delta": 0}, admin)
    expect("stock", status, 200, body)
    return body["stock_on_hand"], body["stock_reserved"]


def paid_orders(base, admin):
    status, orders = call(base, "GET", "/api/v1/admin/orders?status=paid", headers=admin)
    return expect("paid orders", status, 200, orders)["total"]


def main():
    base, phase, state_file = sys.argv[1:4]
    compose = sys.argv[sys.argv.index("--") + 1:]
    settings = json.load(open(state_file))
    admin = {"authorization": f"Bearer {settings['admin_token']}"}
    secret_key = settings["stripe_secret_key"]
    if phase == "buy":
        # The fake Stripe server sends its webhooks to the API by itself (WEBHOOK_URL in Compose).
        status, product = call(base, "POST", "/api/v1/admin/products", {
            "slug": "compose-mug", "name": "Compose mug", "description": "Bought through Compose.",
            "images": [], "variants": [{"sku": "COMPOSE-MUG-1", "title": "Mug", "stock_on_hand": 10,
                                        "price": {"amount": 1200, "currency": "EUR"}}],
        }, admin)
        variant_id = expect("create product", status, 201, product)["variants"][0]["id"]
        paid = checkout(base, admin, variant_id, "first")
        pay(compose, paid, secret_key)
        order = wait_paid(base, paid)
        pending = checkout(base, admin, variant_id, "second")
        settings.update(variant_id=variant_id, paid=paid, pending=pending,
                        paid_orders=paid_orders(base, admin))
        json.dump(settings, open(state_file, "w"))
        print(f"paid order {order['id']} through nginx; a second checkout awaits payment;"
              f" stock (on hand, reserved): {stock(base, admin, variant_id)}")
    else:
        variant_id = settings["variant_id"]
        if wait_paid(base, settings["paid"])["id"] != settings["paid"]["order_id"]:
            sys.exit("the paid order changed")
        if stock(base, admin, variant_id) != (9, 1):
            sys.exit(f"stock after the restart: {stock(base, admin, variant_id)}")
        pay(compose, settings["pending"], secret_key)
        wait_paid(base, settings["pending"])
        on_hand = stock(base, admin, variant_id)
        if on_hand != (8, 0):
            sys.exit(f"stock after the second payment: {on_hand}")
        if paid_orders(base, admin) != settings["paid_orders"] + 1:
            sys.exit(f"paid orders: {paid_orders(base, admin)}, before the restart {settings['paid_orders']}")
        print("after the API restart: both orders there, the pending one paid, stock (8, 0)")


if __name__ == "__main__":
    main()
