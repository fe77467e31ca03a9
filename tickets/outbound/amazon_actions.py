"""Amazon's Messaging API message types: what each one takes, and sending one through the
one outbound path (``message_send``: the guard, the outbox row, retries, the audit trail).

Source: the Messaging API model (messaging.json, notes/amazon.md §7). Each type has its
own text limit (2,000, 800 or 400 characters, or no text at all), its attachments (through
the Uploads API, at most five) and, for a warranty, the coverage dates. Which types an order
allows is Amazon's answer (``getMessagingActionsForOrder``), asked by the channel
(``amazon.spapi.messaging``) and passed in as ``offered``: a type Amazon did not offer is
never queued.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from ..attachments import MESSAGING_API, AttachmentIn, attachment_name_clean, attachment_refusal, attachment_type_of
from ..audit import Actor
from ..compliance import Purpose
from ..models import Gateway, MessageTemplate, OutboundMessage, Ticket
from .services import message_send
from .templating import message_context, template_render


@dataclass(frozen=True)
class AmazonAction:
    name: str  # Amazon's name for the type (the last segment of its path)
    purpose: Purpose
    label: str
    help: str
    text_max: int | None  # None: the type takes no text
    attachments_min: int = 0
    attachments_max: int = 0
    coverage_dates: bool = False

    @property
    def takes_text(self) -> bool:
        return self.text_max is not None

    def record(self, *, attachments: int, coverage: tuple[datetime, datetime] | None) -> str:
        """The desk's own sentence for a type without text: what the conversation shows."""
        files = f"{attachments} attachment{'s' if attachments != 1 else ''}"
        dates = f", coverage {coverage[0]:%Y-%m-%d} to {coverage[1]:%Y-%m-%d}" if coverage else ""
        return f"{self.label} sent through Amazon's Messaging API ({files}{dates})."


AMAZON_ACTIONS: dict[str, AmazonAction] = {
    a.name: a
    for a in (
        AmazonAction(
            "confirmDeliveryDetails",
            Purpose.AMAZON_CONFIRM_DELIVERY_DETAILS,
            "Confirm delivery details",
            "Arrange a delivery or confirm contact details for it. Only delivery-related links.",
            2000,
        ),
        AmazonAction(
            "confirmOrderDetails",
            Purpose.AMAZON_CONFIRM_ORDER_DETAILS,
            "Confirm order details",
            "An order-related question before shipping. Only links needed to complete the order.",
            2000,
        ),
        AmazonAction(
            "confirmCustomizationDetails",
            Purpose.AMAZON_CONFIRM_CUSTOMIZATION_DETAILS,
            "Confirm customization",
            "Ask the buyer to give or verify customization details. Only customization-related links.",
            800,
            attachments_max=5,
        ),
        AmazonAction(
            "confirmServiceDetails",
            Purpose.AMAZON_CONFIRM_SERVICE_DETAILS,
            "Confirm service details",
            "Arrange or prepare a Home Services call. Only Home Services links.",
            2000,
        ),
        AmazonAction(
            "unexpectedProblem",
            Purpose.AMAZON_UNEXPECTED_PROBLEM,
            "Unexpected problem",
            "An unexpected problem affects completing the order.",
            2000,
        ),
        AmazonAction(
            "digitalAccessKey",
            Purpose.AMAZON_DIGITAL_ACCESS_KEY,
            "Digital access key",
            "A key needed to use digital content bought with the order. Only key-related links.",
            400,
            attachments_max=5,
        ),
        AmazonAction(
            "warranty",
            Purpose.AMAZON_WARRANTY,
            "Warranty",
            "Warranty information: the coverage dates and the warranty documents.",
            None,
            attachments_min=1,
            attachments_max=5,
            coverage_dates=True,
        ),
        AmazonAction(
            "invoice",
            Purpose.AMAZON_INVOICE,
            "Invoice",
            "The buyer's invoice.",
            None,
            attachments_min=1,
            attachments_max=5,
        ),
        AmazonAction(
            "legalDisclosure",
            Purpose.AMAZON_LEGAL_DISCLOSURE,
            "Legal disclosure",
            "Documents the law obliges the seller to give the buyer, and only those.",
            None,
            attachments_min=1,
            attachments_max=5,
        ),
    )
}
ACTION_FOR_PURPOSE = {a.purpose.value: a for a in AMAZON_ACTIONS.values()}


class AmazonActionInvalid(Exception):
    """The message does not fit its type (field → messages), or the order does not allow the
    type now; nothing was queued."""

    def __init__(self, errors: dict[str, list[str]], *, not_offered: bool = False) -> None:
        self.errors, self.not_offered = errors, not_offered
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))


def amazon_actions_offered(*, offered: list[str]) -> list[AmazonAction]:
    """The types Amazon offered for the order that the desk knows how to send, in the desk's order."""
    return [action for name, action in AMAZON_ACTIONS.items() if name in offered]


def amazon_action_errors(
    *,
    action: AmazonAction,
    text: str,
    attachments: list[AttachmentIn],
    coverage: tuple[datetime | None, datetime | None],
) -> dict[str, list[str]]:
    """The type's own limits, as field errors (the guard judges the text afterwards)."""
    errors: dict[str, list[str]] = {}
    text = text.strip()
    if action.takes_text and not text:
        errors["text"] = ["This message type needs a text."]
    elif action.takes_text and len(text) > action.text_max:
        errors["text"] = [f"At most {action.text_max:,} characters for {action.label} ({len(text):,} given)."]
    elif not action.takes_text and text:
        errors["text"] = [f"{action.label} takes no text: Amazon sends its own with the attachments."]
    if not action.attachments_min <= len(attachments) <= action.attachments_max:
        if action.attachments_max == 0:
            errors["attachments"] = [f"{action.label} takes no attachments."]
        else:
            errors["attachments"] = [
                f"{action.label} takes {action.attachments_min} to {action.attachments_max} attachments."
            ]
    for attachment in attachments:
        # The Messaging API's own file rules (tickets.attachments.MESSAGING_API).
        name = attachment_name_clean(attachment.name)
        content_type = attachment_type_of(name=name, declared=attachment.content_type)
        if reason := attachment_refusal(content_type=content_type, size=len(attachment.content), rules=MESSAGING_API):
            errors.setdefault("attachments", []).append(f"{attachment.name}: {reason}")
        if not attachment.name.strip() or len(attachment.name) > 200:
            errors.setdefault("attachments", []).append("Every attachment needs a file name of at most 200 characters.")
    start, end = coverage
    if action.coverage_dates:
        if start is None or end is None:
            errors["coverage"] = ["A warranty needs its coverage start and end dates."]
        elif end <= start:
            errors["coverage"] = ["The coverage must end after it starts."]
    elif start is not None or end is not None:
        errors["coverage"] = [f"{action.label} takes no coverage dates."]
    return errors


def amazon_action_send(
    *,
    ticket: Ticket,
    action_name: str,
    offered: list[str],
    text: str,
    attachments: list[AttachmentIn],
    coverage: tuple[datetime | None, datetime | None] = (None, None),
    actor: Actor,
    channel: str,
    template: MessageTemplate | None = None,
) -> OutboundMessage:
    """Queue one Messaging API message on the ticket's order through ``message_send``.

    Refuses (``AmazonActionInvalid``) a type Amazon did not offer for the order (``offered``,
    its answer just now), a ticket without an order, and anything outside the type's limits;
    the guard then judges the text with the type as its purpose (``ComplianceRefused``; its
    doubts refuse too, never hold). The row always goes through the Messaging API gateway, whatever the
    account's gateway for replies, with its attachments in the same transaction."""
    action = AMAZON_ACTIONS.get(action_name)
    if action is None:
        raise AmazonActionInvalid({"action": [f"Unknown Amazon message type {action_name!r}."]})
    if ticket.order_id is None:
        raise AmazonActionInvalid({"action": ["This ticket has no order: Amazon's message types need one."]})
    if action_name not in offered:
        allowed = ", ".join(a.label for a in amazon_actions_offered(offered=offered)) or "none"
        raise AmazonActionInvalid(
            {"action": [f"Amazon does not allow {action.label} for this order now (it allows: {allowed})."]},
            not_offered=True,
        )
    errors = amazon_action_errors(action=action, text=text, attachments=attachments, coverage=coverage)
    if errors:
        raise AmazonActionInvalid(errors)
    start, end = coverage
    fields = {}
    if action.coverage_dates:
        fields = {"coverage_start": start.isoformat(), "coverage_end": end.isoformat()}
    body = text.strip() or action.record(
        attachments=len(attachments), coverage=(start, end) if action.coverage_dates else None
    )
    return message_send(
        body=body,
        actor=actor,
        channel=channel,
        ticket=ticket,
        purpose=action.purpose.value,
        template=template,
        gateway=Gateway.SP_API,
        amazon_fields=fields,
        # Where the guard is unsure, the agent rewrites: a held message could not carry
        # this type's attachments and fields to a manager's approval.
        hold_allowed=False,
        # Kept like a reply's files (storage, the permission gate), by the Messaging API's rules.
        attachments=attachments,
        attachment_rules=MESSAGING_API,
    )


def amazon_action_proposal(
    *, ticket: Ticket, action: AmazonAction, locale: str, agent=None
) -> tuple[str, MessageTemplate | None]:
    """The text proposed for a type: the account's (else the default) active template for its
    purpose in the buyer's language of preference (``GetAttributes`` → ``buyer.locale``,
    e.g. es-US → es), rendered for the ticket. None in that language: no text is proposed,
    since Amazon wants the text in the buyer's language."""
    if not action.takes_text:
        return "", None
    language = (locale or "").split("-")[0].lower()
    if not language:
        return "", None
    templates = list(
        MessageTemplate.objects.filter(purpose=action.purpose.value, language__iexact=language, is_active=True)
        .filter(Q(seller_account=ticket.seller_account_id) | Q(seller_account__isnull=True))
        .order_by("name")
    )
    # The account's own template wins over a default one.
    template = next((t for t in templates if t.seller_account_id), None) or (templates[0] if templates else None)
    if template is None:
        return "", None
    product = None
    item = ticket.order.items.select_related("product").first() if ticket.order_id else None
    if item is not None:
        product = item.product
    context = message_context(ticket=ticket, agent=agent, product=product)
    return template_render(body=template.body, context=context), template
