"""Runs localstripe, the fake Stripe server the tests use, with one gap closed.

Real Stripe lets a shopper retry a PaymentIntent after a declined charge: attaching a new payment
method makes it confirmable again. localstripe keeps the failed charge and refuses the retry, so
this sets it aside when a new payment method arrives. Test infrastructure only; never shipped.
"""

import sys

from localstripe.resources import PaymentIntent
from localstripe.server import start

_update = PaymentIntent._update


def _update_allowing_retry(self, **data):
    failed = self.latest_charge is not None and self.latest_charge.status == "failed"
    if data.get("payment_method") and failed:
        self.latest_charge = None
    return _update(self, **data)


PaymentIntent._update = _update_allowing_retry

if __name__ == "__main__":
    sys.exit(start())
