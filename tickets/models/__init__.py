"""The ticket domain: seller accounts and their catalogue, buyers and orders,
conversations (tickets and messages), A-to-z claims and chargebacks, and the audit log.

Split by topic; import from ``tickets.models`` as usual.
"""

from .accounts import Product, SellerAccount
from .audit import AuditEvent
from .claims import AtoZClaim, Chargeback
from .orders import Buyer, FulfillmentChannel, Order, OrderItem
from .tickets import Message, Ticket

__all__ = [
    "AtoZClaim",
    "AuditEvent",
    "Buyer",
    "Chargeback",
    "FulfillmentChannel",
    "Message",
    "Order",
    "OrderItem",
    "Product",
    "SellerAccount",
    "Ticket",
]
