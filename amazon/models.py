"""The relay mail channel's records: a mailbox per seller account, and every e-mail fetched
from it, kept raw before anything reads it (so that no buyer message is ever lost)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tickets.models import Message, SellerAccount

from .mail.crypto import secret_decrypt, secret_encrypt

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


class MailboxSecurity(models.TextChoices):
    TLS = "tls", "TLS (IMAPS, usually port 993)"
    STARTTLS = "starttls", "STARTTLS (usually port 143)"
    # Only for a server on the same machine or in tests: the password would cross the network readable.
    NONE = "none", "None (plain text: only for a server on this machine)"


class AfterImport(models.TextChoices):
    # The default: the desk never changes the seller's mailbox; the high-water mark says what is new.
    KEEP = "keep", "Leave the mail as it is"
    MARK_READ = "mark_read", "Mark it read"
    DELETE = "delete", "Delete it"


class Mailbox(models.Model):
    """An IMAP mailbox that receives a seller account's Buyer-Seller Messaging relay mail.

    ``uidvalidity`` and ``last_uid`` are the high-water mark: a poll fetches only UIDs above
    ``last_uid`` while the folder's UIDVALIDITY is unchanged (RFC 3501 §2.3.1.1). ``polling_since``
    is the claim a poll takes with a conditional UPDATE, so two workers never poll it together.
    """

    Security = MailboxSecurity
    AfterImport = AfterImport

    seller_account = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="mailboxes")
    host = models.CharField(max_length=255, help_text="The IMAP server, e.g. imap.example.com.")
    port = models.PositiveIntegerField(default=993, validators=[MinValueValidator(1), MaxValueValidator(65535)])
    security = models.CharField(max_length=8, choices=Security.choices, default=Security.TLS)
    username = models.CharField(max_length=255)
    # Fernet ciphertext (amazon.mail.crypto); never shown, never in the audit trail.
    password_encrypted = models.TextField(editable=False, blank=True)
    folder = models.CharField(max_length=255, default="INBOX")
    active = models.BooleanField(default=True, help_text="Polled every minute while active.")
    after_import = models.CharField(
        max_length=10,
        choices=AfterImport.choices,
        default=AfterImport.KEEP,
        help_text="What happens to a mail in the mailbox once it is stored in the desk. "
        "Mail that could not be stored whole is always left alone.",
    )
    uidvalidity = models.BigIntegerField(null=True, blank=True, editable=False)
    last_uid = models.BigIntegerField(default=0, editable=False)
    polling_since = models.DateTimeField(null=True, blank=True, editable=False)
    last_polled_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False)
    last_error_at = models.DateTimeField(null=True, blank=True, editable=False)
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    backoff_until = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name_plural = "mailboxes"
        ordering = ["seller_account__name", "username"]
        constraints = [
            models.UniqueConstraint(
                fields=["seller_account", "host", "username", "folder"], name="mailbox_unique_per_account"
            ),
            models.CheckConstraint(condition=Q(security__in=MailboxSecurity.values), name="mailbox_security_valid"),
            models.CheckConstraint(condition=Q(after_import__in=AfterImport.values), name="mailbox_after_import_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.username} at {self.host} / {self.folder}"

    def password_set(self, plain: str) -> None:
        self.password_encrypted = secret_encrypt(plain)

    def password(self) -> str:
        return secret_decrypt(self.password_encrypted) if self.password_encrypted else ""


class RawEmailState(models.TextChoices):
    NEW = "new", "New"
    PROCESSED = "processed", "Processed"
    QUARANTINED = "quarantined", "Quarantined"
    NOT_BUYER_MESSAGE = "not_buyer_message", "Not a buyer message"
    NOTICE = "notice", "Amazon notice"


class RawEmail(models.Model):
    """One e-mail as it arrived, stored before it is read.

    The bytes live in Django's storage under their SHA-256 (``storage_name``); this row says
    where they came from (mailbox, UIDVALIDITY + UID), what reading them gave, and which
    buyer message they became. Unique by Message-ID per seller account and by IMAP position,
    so fetching the same mail twice stores it once.
    """

    State = RawEmailState

    seller_account = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="raw_emails")
    # Kept when a mailbox is removed: the mail and what it became stay on record.
    mailbox = models.ForeignKey(Mailbox, on_delete=models.SET_NULL, null=True, blank=True, related_name="raw_emails")
    message_id = models.CharField(max_length=255, help_text="The Message-ID header (or one derived from the content).")
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    uid = models.BigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=255)
    # The mail's size on the server; larger than the stored bytes when only its header was kept.
    size = models.PositiveBigIntegerField()
    complete = models.BooleanField(default=True, help_text="False when only the header was stored (too large).")
    received_at = models.DateTimeField(help_text="When Amazon received the buyer's message (the Date header).")
    fetched_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=20, choices=State.choices, default=State.NEW)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    processed_at = models.DateTimeField(null=True, blank=True)
    # What the relay format gave (amazon.mail.relay); empty until read.
    subject = models.CharField(max_length=300, blank=True)
    relay_address = models.CharField(max_length=254, blank=True, help_text="Lower-case, +suffix removed.")
    buyer_name = models.CharField(max_length=200, blank=True)
    amazon_order_id = models.CharField(max_length=19, blank=True)
    asins = models.JSONField(default=list, blank=True)
    marketplace = models.CharField(max_length=32, blank=True, help_text="e.g. amazon.de")
    important = models.BooleanField(default=False, help_text='"[Important]" in the subject: a critical message.')
    comm_mgr_token = models.CharField(max_length=200, blank=True)
    no_response_url = models.URLField(max_length=2000, blank=True)
    buyer_message = models.ForeignKey(Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Amazon's notices (state "notice"): what they said, comma-separated kinds, and what the desk did.
    notice_kinds = models.CharField(max_length=100, blank=True, help_text="amazon.mail.notices.NoticeKind")
    notice_outcome = models.TextField(blank=True)

    class Meta:
        verbose_name = "raw e-mail"
        ordering = ["-fetched_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "fetched_at"], name="rawemail_state_fetched"),
            # Threading by commMgrTok and by relay address + order id (amazon.mail.threading).
            models.Index(fields=["seller_account", "comm_mgr_token"], name="rawemail_account_token"),
            models.Index(fields=["seller_account", "relay_address", "amazon_order_id"], name="rawemail_account_relay"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["seller_account", "message_id"], name="rawemail_unique_message_id"),
            models.UniqueConstraint(
                fields=["mailbox", "uidvalidity", "uid"],
                condition=Q(uid__isnull=False),
                name="rawemail_unique_imap_position",
            ),
            models.CheckConstraint(condition=Q(state__in=RawEmailState.values), name="rawemail_state_valid"),
        ]

    def __str__(self) -> str:
        return self.subject or self.message_id


class QuarantinedEmail(RawEmail):
    """The admin's quarantine: mail that could not be read, with its error and a Retry."""

    class Meta:
        proxy = True
        verbose_name = "quarantined e-mail"


class NotBuyerMessage(RawEmail):
    """The admin's list of mail that is not a relay buyer message (auto-replies, bounces,
    notices, anything else that reached the mailbox): kept, never on a clock."""

    class Meta:
        proxy = True
        verbose_name = "not a buyer message"
        verbose_name_plural = "not buyer messages"


# The SP-API channel's models live beside its code (amazon/spapi/); imported here so that
# Django and the migrations find them in the amazon app.
from .review_requests.models import ReviewRequest  # noqa: E402, F401
from .spapi.models import ReportRun, SpApiAuthorization, SpApiConnection  # noqa: E402, F401
