"""Relay mails for the tests, in the shape of tests/amazon/fixtures/relay_en.eml (our own
texts; no real buyer's mail), built with the standard library so each test says only what
matters to it."""

import re
from email import policy
from email.message import EmailMessage
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
LANGUAGES = ("en", "de", "fr", "es", "it", "ja")

FOOTER = """To help arbitrate disputes and preserve trust and safety, we retain all messages buyers and
sellers send through Amazon for two years, including your response to this message.

Was this message useful? If no response is needed, mark it:
https://sellercentral.amazon.com/messaging/reply?msg={msg}&t=nrn

[commMgrTok:{token}]"""


def crlf(content: bytes) -> bytes:
    """Mail's own line ends (the files are kept with the repository's)."""
    return re.sub(rb"\r?\n", b"\r\n", content)


def fixture(lang: str) -> bytes:
    return crlf((FIXTURES / f"relay_{lang}.eml").read_bytes())


def relay_mail(
    *,
    message_id: str,
    text: str = "Hi, the water tank of my espresso machine leaks. Can you send a new one?",
    order_id: str | None = "113-4820193-5531207",
    relay: str = "7xq2m4k9zt1v8bn",
    suffix: str = "A1GH7TQ2ZX9K3L",
    name: str = "Emily R.",
    date: str = "Tue, 03 Nov 2026 14:22:31 +0000",
    subject: str | None = None,
    token: str = "A1GH7TQ2ZX9K3L7720261103142231",
    in_reply_to: str | None = None,
    to: str = "support@brewline.example",
    headers: dict[str, str] | None = None,
    files: list[tuple[str, str, bytes]] = (),
) -> bytes:
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = f'"{name} - Amazon Marketplace" <{relay}+{suffix}@marketplace.amazon.com>'
    message["To"] = to
    order_part = f" (Order: {order_id})" if order_id else ""
    message["Subject"] = subject or f"Inquiry from Amazon customer {name}{order_part}"
    message["Date"] = date
    message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    for key, value in (headers or {}).items():
        message[key] = value
    order_lines = f"Order ID {order_id}:\n1 of Brewline Pro Espresso Machine [ASIN: B0CXK4Z7QP]\n\n" if order_id else ""
    body = (
        f"{order_lines}------------- Begin message -------------\n\n{text}\n\n"
        f"------------- End message -------------\n\n{FOOTER.format(msg=message_id.strip('<>')[:12], token=token)}\n"
    )
    message.set_content(body, charset="utf-8", cte="quoted-printable")
    for name, content_type, content in files:
        maintype, subtype = content_type.split("/", 1)
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def notice(name: str, *, outbound_id: int | None = None) -> bytes:
    """One of Amazon's notices (tests/amazon/fixtures/notices: our own wording, in the
    marketplaces' languages), naming our reply ``outbound_id`` where the notice quotes it."""
    content = (FIXTURES / "notices" / f"{name}.eml").read_bytes()
    return crlf(content.replace(b"{outbound_id}", str(outbound_id or 0).encode()))
