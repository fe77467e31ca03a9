"""A local Amazon: an SP-API sandbox served from Amazon's own model files (issue #18).

Amazon cannot be reached from the desk's development and CI machines, so this package
stands in for it: the Orders API v2026-01-01, the Reports API 2021-06-30 (all-orders flat
files, seller feedback, the account-health performance report), Messaging,
Solicitations and Uploads (attachments), Login with Amazon (consent, authorization code, refresh token) and Amazon's
usage plans (429 past a token bucket), over a marketplace generated from a seed.

It is a test and demo server: everything is in memory, time comes from an injected clock.
It imports nothing from the desk; the desk's SP-API code (the ``amazon`` app) talks to it
over HTTP like to Amazon.

    from amazon_sandbox import FakeClock, Sandbox, serve_in_thread
"""

from .app import RunningSandbox, Sandbox, serve_in_thread
from .clock import FakeClock, SystemClock

__all__ = ["FakeClock", "RunningSandbox", "Sandbox", "SystemClock", "serve_in_thread"]
