"""Schemathesis hooks for scripts/test (loaded through schemathesis.toml).

JSON Schema 2020-12 counts a whole float such as `2.0` as an integer, so Schemathesis sends some
generated integers in that spelling; the API's JSON reader (serde) takes integers only as written
without a fraction, which no schema can say. Whole floats in generated bodies go out as integers.

A checkout session only becomes a paid order once the shopper pays its PaymentIntent through
Stripe.js, which no request to the API can do. When STACK_STRIPE_BASE and STACK_STRIPE_KEY name the
Stripe stand-in and the shop's key there (as target/stack/env does), each new checkout session is
paid there as harness/stack.mjs pays it, with Stripe's test Visa card, and the hook waits (a few
seconds at most) for the stand-in's webhook to mark the order paid: so that what follows a paid
order (refunds) is reachable. Nothing about the request or the response checked is changed.
"""

import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request

import schemathesis


def _integral(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _integral(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_integral(item) for item in value]
    return value


@schemathesis.hook
def before_call(context, case, kwargs):
    if isinstance(case.body, (dict, list, float)):
        case.body = _integral(case.body)


STRIPE_BASE = os.environ.get("STACK_STRIPE_BASE")
STRIPE_KEY = os.environ.get("STACK_STRIPE_KEY")
PAID_WITHIN_SECS = 5


def _post(url, fields, key):
    request = urllib.request.Request(url, method="POST", data=urllib.parse.urlencode(fields).encode(),
                                     headers={"Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)


def _order_status(api, order_id, secret):
    request = urllib.request.Request(f"{api}/api/v1/orders/{order_id}", headers={"Order-Secret": secret})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.load(answer).get("status")
    except urllib.error.HTTPError:
        return None


@schemathesis.hook
def after_call(context, case, response):
    if not (STRIPE_BASE and STRIPE_KEY) or response.status_code != 201:
        return
    if case.method.upper() != "POST" or case.operation.path != "/api/v1/checkout/sessions":
        return
    session = response.json()
    if not session.get("client_secret") or not session.get("order_secret"):
        return
    intent = session["client_secret"].split("_secret_")[0]
    _post(f"{STRIPE_BASE}/v1/payment_intents/{intent}", {"payment_method": "pm_card_visa"}, STRIPE_KEY)
    if _post(f"{STRIPE_BASE}/v1/payment_intents/{intent}/confirm", {}, STRIPE_KEY).get("status") != "succeeded":
        return
    parts = urllib.parse.urlsplit(response.request.url)
    api = f"{parts.scheme}://{parts.netloc}"
    deadline = time.monotonic() + PAID_WITHIN_SECS
    while _order_status(api, session["order_id"], session["order_secret"]) == "pending_payment":
        if time.monotonic() > deadline:
            return
        time.sleep(0.1)
