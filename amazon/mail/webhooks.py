"""Relay mail posted by a mail provider: one inbound webhook per mailbox of kind "webhook",
verified and normalised by ``django-anymail`` (Amazon SES through SNS, Mailgun, Postmark,
SendGrid Inbound Parse), then kept raw and read by the same intake as IMAP mail.

The provider's proof is checked with the mailbox's own secret: Mailgun signs each post
(HMAC-SHA256 with the domain's webhook signing key); SES, Postmark and SendGrid sign
nothing, so their posts carry HTTP basic-auth credentials in the webhook URL, which the
desk issued. A post that fails its proof is refused (401/403) before anything is kept.
The answer is fast: the mail is stored and its import queued after commit (Celery), so a
provider never waits on the parse and retries only what was not stored.
"""

import logging
import warnings

from anymail.exceptions import AnymailConfigurationError, AnymailError, AnymailWebhookValidationFailure
from anymail.webhooks.amazon_ses import AmazonSESInboundWebhookView
from anymail.webhooks.mailgun import MailgunInboundWebhookView
from anymail.webhooks.postmark import PostmarkInboundWebhookView
from anymail.webhooks.sendgrid import SendGridInboundWebhookView
from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..models import Mailbox, WebhookProvider
from .crypto import SecretUnreadable
from .services import raw_email_receive

logger = logging.getLogger(__name__)

VIEWS = {
    WebhookProvider.AMAZON_SES: AmazonSESInboundWebhookView,
    WebhookProvider.MAILGUN: MailgunInboundWebhookView,
    WebhookProvider.POSTMARK: PostmarkInboundWebhookView,
    WebhookProvider.SENDGRID: SendGridInboundWebhookView,
}
# Providers that sign their posts; the others prove themselves with basic auth.
SIGNING = frozenset({WebhookProvider.MAILGUN})
# The user name in the basic-auth credentials the desk issues ("csmdesk:<secret>").
BASIC_AUTH_USER = "csmdesk"


def webhook_reader(mailbox: Mailbox):
    """anymail's inbound view for the mailbox's provider, holding the mailbox's secret."""
    secret = mailbox.webhook_secret()
    options = (
        {"webhook_signing_key": secret, "webhook_secret": []}
        if mailbox.provider in SIGNING
        else {"webhook_secret": [f"{BASIC_AUTH_USER}:{secret}"]}
    )
    if mailbox.provider == WebhookProvider.AMAZON_SES:
        # Confirming an SNS subscription is done once, by the manager, in the AWS console.
        options["auto_confirm_sns_subscriptions"] = False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # anymail's notices about SendGrid's support level
        return VIEWS[mailbox.provider](**options)


def _sns_subscription_note(mailbox: Mailbox, sns_message: dict) -> None:
    """SNS asks once to confirm the subscription of this URL to the SES topic. The desk
    holds no AWS credentials to confirm it itself: the manager opens the link, shown on the
    mailbox in the admin (the post was authenticated, so the link is Amazon's)."""
    if sns_message.get("Type") != "SubscriptionConfirmation":
        return
    link = str(sns_message.get("SubscribeURL", ""))[:1500]
    note = f"Amazon SNS asks to confirm the subscription to {sns_message.get('TopicArn', '?')}: open {link}"
    Mailbox.objects.filter(pk=mailbox.pk).update(last_error=note, last_error_at=timezone.now())


def _refused(status: int, reason: str) -> HttpResponse:
    return HttpResponse(reason, status=status, content_type="text/plain; charset=utf-8")


@csrf_exempt
@require_POST
def inbound_mail(request: HttpRequest, key: str) -> HttpResponse:
    mailbox = (
        Mailbox.objects.select_related("seller_account")
        .filter(kind=Mailbox.Kind.WEBHOOK, active=True, webhook_key=key)
        .first()
    )
    if mailbox is None:
        return _refused(404, "No such inbound mailbox.")
    try:
        reader = webhook_reader(mailbox)
    except SecretUnreadable:
        logger.error("mailbox %s: its webhook secret cannot be decrypted", mailbox.pk)
        return _refused(503, "This mailbox's secret cannot be read; its manager must enter it again.")
    if mailbox.provider not in SIGNING and not request.headers.get("Authorization"):
        # Amazon SNS (like browsers) sends the credentials only after a 401 challenge.
        response = _refused(401, "Credentials required.")
        response["WWW-Authenticate"] = 'Basic realm="CSM Desk inbound mail"'
        return response
    try:
        reader.run_validators(request)
        if mailbox.provider == WebhookProvider.AMAZON_SES:
            _sns_subscription_note(mailbox, reader._parse_sns_message(request))
        events = reader.parse_events(request)
    except AnymailWebhookValidationFailure:
        return _refused(403, "The signature or credentials do not match this mailbox.")
    except RequestDataTooBig:
        return _refused(413, "The post is larger than this server takes (DATA_UPLOAD_MAX_MEMORY_SIZE).")
    except (AnymailError, AnymailConfigurationError, KeyError, ValueError, TypeError) as exc:
        # Not an inbound mail post (a tracking event, a wrong route action, a broken body).
        return _refused(400, f"Not an inbound mail post this mailbox can read: {type(exc).__name__}.")
    with transaction.atomic():
        for event in events:
            raw_email_receive(mailbox=mailbox, content=event.message.as_bytes())
    return HttpResponse("stored", content_type="text/plain")


def webhook_mailbox_prepare(*, mailbox: Mailbox, secret: str = "") -> str:
    """Give a webhook mailbox what its endpoint needs: its unguessable key (once), and its
    secret, encrypted: the one the manager entered (Mailgun's signing key, which Mailgun
    issues), else, for the providers that authenticate with basic auth, one the desk makes.
    Returns a secret the desk made, to show the manager once; "" otherwise. The caller saves."""
    import secrets as random

    if not mailbox.webhook_key:
        mailbox.webhook_key = random.token_urlsafe(24)
    made = ""
    if secret:
        mailbox.webhook_secret_set(secret)
    elif not mailbox.webhook_secret_encrypted and mailbox.provider not in SIGNING:
        made = random.token_urlsafe(24)
        mailbox.webhook_secret_set(made)
    return made


def webhook_url(*, mailbox: Mailbox, base_url: str, secret: str = "") -> str:
    """The address to give the provider; with the basic-auth credentials when ``secret``
    (only right after the desk made it: it is never shown again)."""
    from django.urls import reverse

    path = reverse("amazon-mail-inbound", kwargs={"key": mailbox.webhook_key})
    scheme, _, host = base_url.rstrip("/").partition("://")
    credentials = f"{BASIC_AUTH_USER}:{secret}@" if secret else ""
    return f"{scheme}://{credentials}{host}{path}"
