"""Data in: one intake per entity, which every channel (the REST API, the admin, the
e-mail relay, the demo seeder) calls, so each gives the same rows, audit and webhooks.

- ``messages``: buyer messages, threaded into their conversation, with their 24 h clock;
- ``claims``: A-to-z claims and chargebacks, their deadlines and defence tickets;
- ``orders``: set-based, idempotent upserts of orders, buyers, products and accounts.

Tickets themselves open through ``tickets.services.ticket_open``.
"""
