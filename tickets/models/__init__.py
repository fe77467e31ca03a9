"""The ticket domain: seller accounts and their catalogue, buyers and orders,
conversations (tickets and messages), A-to-z claims and chargebacks, and the audit log.

Split by topic; import from ``tickets.models`` as usual.
"""

from .accounts import DeskProfile, Gateway, PostDeliveryContact, Product, SellerAccount, Team
from .attachments import Attachment
from .audit import AuditEvent
from .automation import Notification, OrderEvent, ProactiveGuide, SlaEvent
from .claims import AtoZClaim, Chargeback
from .orders import Buyer, FulfillmentChannel, Order, OrderItem
from .outbound import (
    BlockedMessage,
    ForbiddenPhrase,
    HeldMessage,
    MessagePurpose,
    MessageTemplate,
    OutboundMessage,
    PhraseAction,
)
from .tickets import Message, SlaPolicy, Ticket, TicketSearch

__all__ = [
    "AtoZClaim",
    "Attachment",
    "AuditEvent",
    "BlockedMessage",
    "DeskProfile",
    "ForbiddenPhrase",
    "Gateway",
    "HeldMessage",
    "MessagePurpose",
    "MessageTemplate",
    "OutboundMessage",
    "PhraseAction",
    "Buyer",
    "Chargeback",
    "FulfillmentChannel",
    "Message",
    "Notification",
    "OrderEvent",
    "ProactiveGuide",
    "SlaEvent",
    "SlaPolicy",
    "Order",
    "OrderItem",
    "PostDeliveryContact",
    "Product",
    "SellerAccount",
    "Team",
    "Ticket",
    "TicketSearch",
]
