"""The one outbound path for every buyer message:

compose → compliance guard → outbox row (same transaction as the ticket change)
→ Celery dispatch after commit → gateway → status recorded (sent / failed / dead).

- ``templating``: manager-editable templates rendered in a sandbox.
- ``gateways``: console, email relay, and the SP-API interface.
- ``services``: ``message_send`` (every channel calls it), delivery, sweeping, retrying.
"""
