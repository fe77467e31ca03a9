"""FBA reimbursement watch (issue #22): find the FBA units Amazon lost, damaged or refunded
without getting back, and did not pay for, before their claim window closes.

- ``models``: Amazon's FBA report rows (one model per report, keyed by Amazon's ids within
  the seller account), the per-marketplace windows, and the ``ReimbursementCase``;
- ``intake``: the one idempotent intake per kind of row (a re-import writes nothing new);
- ``rules``: the reconciliation rules, set-based, each citing Amazon;
- ``services``: the case's life (status, filing, assignee), audited; ``clock``: its claim
  deadline on the desk's SLA sweep; ``selectors``: the reads of the desk, admin and API;
- ``fetch``: the scheduled read of the reports and refund events per connected account.

The claim itself is filed by a person in Seller Central: Amazon has no API for it.
"""
