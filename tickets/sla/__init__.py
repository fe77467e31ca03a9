"""The SLA clock and its sweep: when a buyer message must be answered, and the alerts
when it is not (or when a claim's deadline nears).

- ``clock``: the rule itself: due times from the account's SLA policy, the stored at-risk
  moment, a reply or "no response needed" stopping the clock, and the refusal to park a
  ticket whose buyer messages are still unanswered;
- ``sweep``: every minute, each transition (at risk, breached, claim deadline near or
  passed) recorded once, with priority, notices, e-mails and webhooks.

Buyer messages enter through ``tickets.intake.messages``, which starts their clocks here.
"""
