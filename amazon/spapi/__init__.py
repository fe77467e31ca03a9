"""The Selling Partner API channel (issue #18): connecting a seller account to Amazon (Login
with Amazon's website authorization workflow) and the incremental orders sync.

client.py (the thin adapter around Amazon's official SDK, ``amzn-sp-api``), models.py
(connections, consents in progress), orders.py (Amazon's orders in the desk's words),
services.py (connect, sync: the writes), selectors.py, tasks.py (the beat), views.py and
urls.py (the consent's callback), admin.py (the managers' page with *Connect to Amazon*)."""
