"""Runs localstripe, the fake Stripe server the tests use, with two gaps closed.

Real Stripe lets a shopper retry a PaymentIntent after a declined charge: attaching a new payment
method makes it confirmable again. localstripe keeps the failed charge and refuses the retry, so
this sets it aside when a new payment method arrives.

Real Stripe honours `Idempotency-Key`: a POST replayed with the same key and parameters gets the
first answer back instead of doing the work again, and the same key with other parameters is an
error. localstripe ignores the header, which would hide exactly the bugs the crash tests look for
(a retried checkout making a second PaymentIntent), so this answers replays from memory.

Real Stripe has more test payment methods than localstripe: `pm_card_threeDSecure2Required` (a
card whose bank asks the shopper to authenticate) is added, and `pm_card_visa_chargeDeclined`
(4000 0000 0000 0002) is declined when charged, as at Stripe, not only when saved to a customer.

A PaymentIntent takes `shipping` (the name, address and phone the parcel goes to), as at Stripe,
which localstripe refuses as an unknown parameter; it is checked as Stripe checks it and kept on
the PaymentIntent.

Tests also need a Stripe that misbehaves on purpose, one request at a time:
- `POST /_config/rules` (JSON) adds a rule for requests with `method` and `path` (and, when given,
  the API key `secret_key`): `status` and `body` answer instead of the real handler;
  `replace_body` answers that body after the real work is done; `set` changes fields of the
  object made, as Stripe's own state would (a refund still `pending`); `delay_after` seconds pass
  after the work and before the answer, as when Stripe acts but answers late. `times` bounds how
  often it applies (always, when absent).
- `DELETE /_config/idempotency?secret_key=...` forgets that account's idempotency keys, as
  Stripe does after 24 hours.
- `POST /_config/objects/{id}` (JSON) sets fields of a stored object, as Stripe does when a
  refund moves from pending to failed.

With `WEBHOOK_URL` and `WEBHOOK_SECRET_FILE` in its environment, it sends every event to that
URL from the start, signed with that secret: the Compose `demo` profile's shop gets its webhooks
without anyone registering them.

Each secret key is an account of its own, as at Stripe: a webhook registered with a key
(`POST /_config/webhooks/{id}` sent with that key) hears only of objects that key made. Many apps
then share one server and each still receives its own events only. localstripe itself sends every
event to every webhook; a webhook registered without a key still does.

Test and demo infrastructure only: it never talks to real Stripe.
"""

import asyncio
import hashlib
import hmac
import json
import logging
import os
import re
import sys

import aiohttp

from aiohttp import web
from localstripe import webhooks
from localstripe.errors import UserError
from localstripe.resources import PaymentIntent, PaymentMethod, store
from localstripe.server import app, get_api_key, start

_update = PaymentIntent._update


def _update_allowing_retry(self, **data):
    failed = self.latest_charge is not None and self.latest_charge.status == "failed"
    if data.get("payment_method") and failed:
        self.latest_charge = None
    return _update(self, **data)


PaymentIntent._update = _update_allowing_retry

_create_intent = PaymentIntent.__init__
_SHIPPING_ADDRESS_FIELDS = {"line1", "line2", "city", "postal_code", "state", "country"}


def _create_intent_with_shipping(self, shipping=None, **data):
    if shipping is not None:
        address = shipping.get("address") if isinstance(shipping, dict) else None
        if (
            not isinstance(address, dict)
            or not shipping.get("name")
            or set(shipping) - {"name", "address", "phone", "carrier", "tracking_number"}
            or set(address) - _SHIPPING_ADDRESS_FIELDS
        ):
            raise UserError(400, "shipping needs a name and an address of known fields")
    _create_intent(self, **data)
    self.shipping = shipping


PaymentIntent.__init__ = _create_intent_with_shipping

_canonical_test_article = PaymentMethod._try_get_canonical_test_article.__func__
_more_test_cards = {"pm_card_threeDSecure2Required": "4000002500003155"}


def _with_more_test_cards(cls, id):
    number = _more_test_cards.get(id)
    if number is None:
        return _canonical_test_article(cls, id)
    return PaymentMethod(type="card", card=dict(number=number, exp_month="12", exp_year="2030", cvc="123"))


PaymentMethod._try_get_canonical_test_article = classmethod(_with_more_test_cards)

_charging_is_declined = PaymentMethod._charging_is_declined


def _generic_decline_too(self):
    return _charging_is_declined(self) or (self.type == "card" and self._card_number == "4000000000000002")


PaymentMethod._charging_is_declined = _generic_decline_too

# Idempotency-Key -> (path, body, status, response text)
# Keys are per account, as at Stripe: (Authorization, Idempotency-Key) -> the first answer.
_answers = {}


@web.middleware
async def honour_idempotency_keys(request, handler):
    key = (request.headers.get("Authorization", ""), request.headers.get("Idempotency-Key"))
    if request.method != "POST" or not key[1]:
        return await handler(request)
    body = await request.read()
    answered = _answers.get(key)
    if answered is not None:
        path, sent, status, text = answered
        if (path, sent) != (request.path, body):
            return web.json_response(
                {"error": {"type": "idempotency_error",
                           "message": "Keys for idempotent requests can only be used with the same parameters they were first used with."}},
                status=400)
        return web.Response(status=status, text=text, content_type="application/json")
    response = await handler(request)
    if response.status < 500 and isinstance(response, web.Response) and response.text is not None:
        _answers[key] = (request.path, body, response.status, response.text)
    return response


_rules = []


def _matching_rule(request):
    authorization = request.headers.get("Authorization", "")
    for rule in _rules:
        if rule.get("method", "POST") != request.method or rule["path"] != request.path:
            continue
        if rule.get("secret_key") and rule["secret_key"] not in authorization:
            continue
        return rule
    return None


@web.middleware
async def misbehave_as_told(request, handler):
    rule = _matching_rule(request)
    if rule is None:
        return await handler(request)
    if rule.get("times") is not None:
        rule["times"] -= 1
        if rule["times"] <= 0:
            _rules.remove(rule)
    if "status" in rule:
        response = web.json_response(rule.get("body", {}), status=rule["status"])
    else:
        response = await handler(request)
        if rule.get("set") and response.status < 300:
            made = _stored(json.loads(response.text)["id"])
            for field, value in rule["set"].items():
                setattr(made, field, value)
            response = web.json_response(made._export(), status=response.status)
        if "replace_body" in rule:
            response = web.Response(status=200, text=rule["replace_body"], content_type="application/json")
    if rule.get("delay_after"):
        await asyncio.sleep(rule["delay_after"])
    return response


async def add_rule(request):
    rule = await request.json()
    _rules.append(rule)
    return web.json_response(rule)


def _stored(object_id):
    return next((value for key, value in store.items() if key.endswith(":" + object_id)), None)


async def forget_idempotency_keys(request):
    secret_key = request.query.get("secret_key", "")
    for key in [key for key in _answers if secret_key and secret_key in key[0]]:
        del _answers[key]
    return web.json_response({})


async def set_object_fields(request):
    object_id = request.match_info["id"]
    stored = _stored(object_id)
    if stored is None:
        return web.json_response({"error": {"message": "no such object"}}, status=404)
    for field, value in (await request.json()).items():
        setattr(stored, field, value)
    return web.json_response(stored._export())


def _account(request):
    try:
        return get_api_key(request)
    except (ValueError, UnboundLocalError):  # an Authorization header of another scheme
        return None


# Object id -> the secret key whose request made it.
_owners = {}
# Webhook id -> the secret key it was registered with (None: it hears every account).
_webhook_accounts = {}


@web.middleware
async def remember_accounts(request, handler):
    response = await handler(request)
    if request.method != "POST" or response.status >= 300:
        return response
    account = _account(request)
    registered = re.fullmatch(r"/_config/webhooks/([^/]+)", request.path)
    if registered:
        _webhook_accounts[registered.group(1)] = account
    elif account and request.path.startswith("/v1/") and getattr(response, "text", None):
        try:
            made = json.loads(response.text)
        except ValueError:
            return response
        if isinstance(made, dict) and isinstance(made.get("id"), str):
            _owners.setdefault(made["id"], account)
    return response


async def _send_to_its_account(event):
    """localstripe's delivery (one attempt, a second after the event, signed as Stripe signs),
    to the webhooks of the account that made the event's object only."""
    payload = json.dumps(event._export(), indent=2, sort_keys=True).encode("utf-8")
    signed_payload = b"%d.%s" % (event.created, payload)
    owner = _owners.get(event.data["object"].get("id"))
    await asyncio.sleep(1)
    logger = logging.getLogger("aiohttp.access")
    for hook_id, hook in list(webhooks._webhooks.items()):
        if _webhook_accounts.get(hook_id) not in (None, owner):
            continue
        if hook.events is not None and event.type not in hook.events:
            continue
        signature = hmac.new(hook.secret.encode("utf-8"), signed_payload, hashlib.sha256).hexdigest()
        headers = {"Content-Type": "application/json; charset=utf-8",
                   "Stripe-Signature": "t=%d,v1=%s" % (event.created, signature)}
        try:
            async with aiohttp.ClientSession() as session:
                async with session.post(hook.url, data=payload, headers=headers) as answer:
                    logger.info('webhook "%s" to %s: %d', event.type, hook_id, answer.status)
        except aiohttp.ClientError as error:
            logger.info('webhook "%s" to %s failed: %s', event.type, hook_id, error)


webhooks._send_webhook = _send_to_its_account

# Outermost first: a late answer comes after Stripe has done the work and remembered the key, and
# an object's account is the one whose request really made it.
app.middlewares.append(misbehave_as_told)
app.middlewares.append(honour_idempotency_keys)
app.middlewares.append(remember_accounts)
app.router.add_post("/_config/rules", add_rule)
app.router.add_post("/_config/objects/{id}", set_object_fields)
app.router.add_delete("/_config/idempotency", forget_idempotency_keys)


def _register_webhook_from_environment():
    url = os.environ.get("WEBHOOK_URL")
    if not url:
        return
    with open(os.environ["WEBHOOK_SECRET_FILE"]) as secret_file:
        secret = secret_file.read().strip()
    if not secret:
        sys.exit("WEBHOOK_SECRET_FILE is empty")
    webhooks.register_webhook("shop", url, secret, None)


if __name__ == "__main__":
    _register_webhook_from_environment()
    sys.exit(start())
