"""The managers' tool: the Django admin of the ticket domain, split by topic like the models.

Rules every admin here keeps:
- A changelist costs the same number of queries for 3 rows or 100: related rows come
  with ``list_select_related``, no column touches the database per row, and the huge
  tables (orders, tickets, messages, audit events) skip the full result count.
- Foreign keys to huge tables (orders, tickets, buyers) are raw id fields; the small
  ones (accounts, products, users) use autocomplete.
- Edits of tickets, claims, chargebacks (and outreach cases, in reviews.admin) are
  audited through ``tickets.audit``, the mechanism every other channel uses; a ticket's
  workflow fields go through ``ticket_update`` like the agent UI and the API.
- Buyer text is untrusted: it is only ever shown escaped.
"""

from . import accounts, audit, automation, claims, orders, outbound, teams, tickets
from .base import AuditedAdminMixin, NumericIdSearchMixin, ReadOnlyInline, SameAccountForm, changes_text, date_filter

__all__ = [
    "AuditedAdminMixin",
    "NumericIdSearchMixin",
    "ReadOnlyInline",
    "SameAccountForm",
    "accounts",
    "audit",
    "automation",
    "changes_text",
    "claims",
    "date_filter",
    "orders",
    "outbound",
    "teams",
    "tickets",
]
