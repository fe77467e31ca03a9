"""The SLA clock: the one place that knows when a buyer message must be answered.

Amazon: "Respond to buyer messages within 24 hours, including weekends and holidays"
(Seller Central help 202152030; notes/amazon.md §3). So the clock runs on the wall
clock, in UTC, for the seller account's ``sla_hours`` (24 unless the account says less).
"""

from datetime import datetime, timedelta

from .models import SellerAccount


def sla_due_at_for(*, received_at: datetime, seller_account: SellerAccount) -> datetime:
    """When a buyer message received at ``received_at`` must have been answered."""
    return received_at + timedelta(hours=seller_account.sla_hours)
