"""Runs localstripe, the fake Stripe server the tests use, with two gaps closed.

Real Stripe lets a shopper retry a PaymentIntent after a declined charge: attaching a new payment
method makes it confirmable again. localstripe keeps the failed charge and refuses the retry, so
this sets it aside when a new payment method arrives.

Real Stripe honours `Idempotency-Key`: a POST replayed with the same key and parameters gets the
first answer back instead of doing the work again, and the same key with other parameters is an
error. localstripe ignores the header, which would hide exactly the bugs the crash tests look for
(a retried checkout making a second PaymentIntent), so this answers replays from memory.

Test infrastructure only; never shipped.
"""

import sys

from aiohttp import web
from localstripe.resources import PaymentIntent
from localstripe.server import app, start

_update = PaymentIntent._update


def _update_allowing_retry(self, **data):
    failed = self.latest_charge is not None and self.latest_charge.status == "failed"
    if data.get("payment_method") and failed:
        self.latest_charge = None
    return _update(self, **data)


PaymentIntent._update = _update_allowing_retry

# Idempotency-Key -> (path, body, status, response text)
_answers = {}


@web.middleware
async def honour_idempotency_keys(request, handler):
    key = request.headers.get("Idempotency-Key")
    if request.method != "POST" or not key:
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


app.middlewares.append(honour_idempotency_keys)

if __name__ == "__main__":
    sys.exit(start())
