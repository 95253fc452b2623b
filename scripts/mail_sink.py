#!/usr/bin/env python3
"""A real SMTP server that keeps every message it is sent, for the email tests and the demo.

The shop sends its email over SMTP with no special case for tests. Pointed at this sink it talks
to a real server (aiosmtpd), so what the tests check is what would have reached a mail provider:
the envelope, the headers and the text and HTML parts as a mail client decodes them.

SMTP: any sender and recipients, no authentication, no TLS, messages up to 10 MB. The newest 5,000
messages are kept in memory; nothing is written to disk and nothing is relayed anywhere.

HTTP, for the tests:
- `GET /health` answers `{"ok": true}` once both servers listen.
- `GET /messages[?to=address]` lists the messages, oldest first, each as JSON (`id`,
  `received_at`, `mail_from`, `rcpt_tos`, `message_id`, `subject`, `from`, `to`, `text`, `html`,
  `headers`, all decoded; `text` and `html` with newline line ends, not SMTP's CRLF); `to` keeps
  those sent to that recipient. `GET /messages/{id}` is one message; `DELETE /messages` forgets
  them all.
- `POST /_config/rules` (JSON) makes mail fail on purpose, as a provider's outage would:
  `{"to": address or null for everyone, "action": "defer" | "stall" | "drop", "seconds": s,
  "times": n or null}`. `defer` answers that recipient's RCPT TO with a temporary failure (451);
  `drop` closes the connection there without answering; `stall` keeps the message and then waits
  `seconds` before accepting it, so a test can kill the sender mid-send. Rules name their
  recipients so that parallel tests sharing one sink fail only their own mail. `times` bounds how
  often a rule applies (always, when null). `DELETE /_config/rules` removes them all.

HTTP, for people: `GET /` is an inbox of what the shop sent, for a newcomer trying the demo.

Test and demo infrastructure only: never expose it where real mail could be sent to it.
"""

import argparse
import asyncio
import collections
import datetime
import html
import itertools
import signal
from email import policy
from email.parser import BytesParser

from aiohttp import web
from aiosmtpd.smtp import SMTP

MAX_MESSAGE_BYTES = 10 * 1024 * 1024
MAX_MESSAGES = 5000
ACTIONS = {"defer", "stall", "drop"}

_messages = collections.deque(maxlen=MAX_MESSAGES)
_message_ids = itertools.count(1)
_rules = []
_rule_ids = itertools.count(1)


def _take_rule(actions, addresses):
    """The first rule for one of `actions` that covers one of `addresses`, counted as used."""
    wanted = {address.lower() for address in addresses}
    for rule in _rules:
        if rule["action"] in actions and (rule["to"] is None or rule["to"].lower() in wanted):
            if rule["times"] is not None:
                rule["times"] -= 1
                if rule["times"] <= 0:
                    _rules.remove(rule)
            return rule
    return None


def _decoded_headers(message):
    headers = {}
    for name, raw in message.raw_items():
        try:
            headers[name] = str(message.policy.header_fetch_parse(name, raw))
        except Exception:  # a header too broken to decode still shows as it was sent
            headers[name] = str(raw)
    return headers


def _body(message, subtype):
    try:
        part = message.get_body(preferencelist=(subtype,))
        if part is None or part.get_content_type() != "text/" + subtype:
            return None
        try:
            content = part.get_content()
        except (LookupError, ValueError):  # an unknown charset: show what can be shown
            content = (part.get_payload(decode=True) or b"").decode("utf-8", "replace")
        # SMTP ends lines with CRLF; tests compare text as it was written, with \n.
        return content.replace("\r\n", "\n")
    except Exception:  # a malformed message is still kept, without this part
        return None


def _parse(envelope):
    message = BytesParser(policy=policy.default).parsebytes(envelope.original_content)
    headers = _decoded_headers(message)
    by_name = {name.lower(): value for name, value in headers.items()}
    return {
        "id": next(_message_ids),
        "received_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds"),
        "mail_from": envelope.mail_from,
        "rcpt_tos": list(envelope.rcpt_tos),
        "message_id": by_name.get("message-id", "").strip() or None,
        "subject": by_name.get("subject"),
        "from": by_name.get("from"),
        "to": by_name.get("to"),
        "text": _body(message, "plain"),
        "html": _body(message, "html"),
        "headers": headers,
    }


class Sink:
    """aiosmtpd's handler: the fault rules at RCPT TO and DATA, and the keeping of messages."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        rule = _take_rule({"defer", "drop"}, [address])
        if rule is not None and rule["action"] == "defer":
            return "451 4.3.0 mail sink deferring (test rule)"
        if rule is not None:
            # abort() rather than close(): close() would still send the reply written after it.
            server.transport.abort()
            # The lost connection cancels this wait, so no reply is ever written.
            await asyncio.get_running_loop().create_future()
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        # Kept before any stall: a real server has the message once DATA ends, whether or not
        # the client lives to read the answer.
        _messages.append(_parse(envelope))
        rule = _take_rule({"stall"}, envelope.rcpt_tos)
        if rule is not None:
            await asyncio.sleep(rule["seconds"])
        return "250 OK: message accepted"


def _find(request):
    try:
        wanted = int(request.match_info["id"])
    except ValueError:
        return None
    return next((message for message in _messages if message["id"] == wanted), None)


async def health(request):
    return web.json_response({"ok": True})


async def list_messages(request):
    to = request.query.get("to")
    found = [message for message in _messages
             if to is None or to.lower() in (rcpt.lower() for rcpt in message["rcpt_tos"])]
    return web.json_response(found)


async def get_message(request):
    message = _find(request)
    if message is None:
        return web.json_response({"error": "no such message"}, status=404)
    return web.json_response(message)


async def clear_messages(request):
    _messages.clear()
    return web.Response(status=204)


def _rule_from(body):
    if not isinstance(body, dict) or set(body) - {"to", "action", "seconds", "times"}:
        raise ValueError('a rule is an object with "to", "action", "seconds" and "times"')
    if body.get("action") not in ACTIONS:
        raise ValueError('"action" is one of ' + ", ".join(sorted(ACTIONS)))
    to, seconds, times = body.get("to"), body.get("seconds", 0), body.get("times")
    if to is not None and (not isinstance(to, str) or not to.strip()):
        raise ValueError('"to" is an address, or null for every recipient')
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 <= seconds <= 3600:
        raise ValueError('"seconds" is a number from 0 to 3600')
    if body["action"] == "stall" and "seconds" not in body:
        raise ValueError('a "stall" rule needs "seconds"')
    if times is not None and (isinstance(times, bool) or not isinstance(times, int) or times < 1):
        raise ValueError('"times" is a whole number from 1, or null for always')
    return {"id": next(_rule_ids), "to": to and to.strip(), "action": body["action"],
            "seconds": float(seconds), "times": times}


async def add_rule(request):
    try:
        rule = _rule_from(await request.json())
    except ValueError as error:  # json.JSONDecodeError is a ValueError too
        return web.json_response({"error": str(error)}, status=400)
    _rules.append(rule)
    return web.json_response({"id": rule["id"]}, status=201)


async def clear_rules(request):
    _rules.clear()
    return web.Response(status=204)


# Email HTML is untrusted: it renders in a sandboxed srcdoc frame, which inherits this policy, so
# it runs no script, loads nothing from the network (no tracking pixels) and submits no form.
_PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                               "frame-src 'self'; base-uri 'none'; form-action 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
_STYLE = ("body{font-family:system-ui,sans-serif;margin:1rem 2rem;color:#111}"
          "table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .6rem;"
          "border-bottom:1px solid #ccc}pre{white-space:pre-wrap;background:#f4f4f4;padding:1rem}"
          "iframe{width:100%;height:32rem;border:1px solid #ccc}dt{font-weight:bold}"
          "a{color:#0645ad}")


def _page(title, body, status=200):
    text = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>"
            f"<body><main>{body}</main></body></html>\n")
    return web.Response(text=text, content_type="text/html", status=status, headers=_PAGE_HEADERS)


def _e(value):
    return html.escape("" if value is None else str(value), quote=True)


async def inbox(request):
    rows = "".join(
        f'<tr><td>{_e(message["received_at"])}</td><td>{_e(", ".join(message["rcpt_tos"]))}</td>'
        f'<td><a href="/inbox/{message["id"]}">{_e(message["subject"] or "(no subject)")}</a></td></tr>'
        for message in reversed(_messages))
    if not rows:
        rows = '<tr><td colspan="3">No mail yet. Mail the shop sends appears here.</td></tr>'
    return _page("Shop mail inbox", (
        "<h1>Shop mail inbox</h1><p>Every message the shop has sent, newest first. "
        "Reload the page to see new mail.</p>"
        '<table><caption>Received messages</caption><thead><tr><th scope="col">Received (UTC)</th>'
        '<th scope="col">To</th><th scope="col">Subject</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"))


async def inbox_message(request):
    message = _find(request)
    if message is None:
        return _page("Message not found", '<h1>Message not found</h1><p><a href="/">Back to the inbox</a></p>', 404)
    by_name = {name.lower(): value for name, value in message["headers"].items()}
    fields = [("From", message["from"]), ("To", message["to"]), ("Subject", message["subject"]),
              ("Date", by_name.get("date")), ("Message-ID", message["message_id"])]
    body = ['<p><a href="/">Back to the inbox</a></p>',
            f'<h1>{_e(message["subject"] or "(no subject)")}</h1><dl>',
            "".join(f"<dt>{_e(name)}</dt><dd>{_e(value)}</dd>" for name, value in fields), "</dl>"]
    if message["text"] is not None:
        body.append(f'<h2>Plain text</h2><pre>{_e(message["text"])}</pre>')
    if message["html"] is not None:
        body.append('<h2>HTML</h2><iframe sandbox title="The message\'s HTML part" '
                    f'srcdoc="{_e(message["html"])}"></iframe>')
    if message["text"] is None and message["html"] is None:
        body.append("<p>This message has no text or HTML part.</p>")
    return _page(message["subject"] or "(no subject)", "".join(body))


def _app():
    app = web.Application()
    app.router.add_get("/health", health)
    app.router.add_get("/messages", list_messages)
    app.router.add_get("/messages/{id}", get_message)
    app.router.add_delete("/messages", clear_messages)
    app.router.add_post("/_config/rules", add_rule)
    app.router.add_delete("/_config/rules", clear_rules)
    app.router.add_get("/", inbox)
    app.router.add_get("/inbox/{id}", inbox_message)
    return app


async def serve(host, smtp_port, http_port):
    loop = asyncio.get_running_loop()
    handler = Sink()
    # A fixed hostname: the default looks up the machine's FQDN, which can hang in a container.
    smtp = await loop.create_server(
        lambda: SMTP(handler, data_size_limit=MAX_MESSAGE_BYTES, enable_SMTPUTF8=True,
                     hostname="mail-sink", loop=loop),
        host, smtp_port)
    runner = web.AppRunner(_app(), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, http_port).start()
    stopping = asyncio.Event()
    # As PID 1 in a container, SIGTERM does nothing unless handled.
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopping.set)
    print(f"mail sink ready: SMTP on {host}:{smtp_port}, HTTP on http://{host}:{http_port}/",
          flush=True)
    await stopping.wait()
    smtp.close()
    await runner.cleanup()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0 in a container)")
    parser.add_argument("--smtp-port", type=int, default=2525)
    parser.add_argument("--http-port", type=int, default=8025)
    args = parser.parse_args()
    asyncio.run(serve(args.host, args.smtp_port, args.http_port))


if __name__ == "__main__":
    main()
