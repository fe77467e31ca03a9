"""The demo desk behind ``manage.py seed_demo``.

The story is data (``catalogue``, ``conversations``, ``feedback``); ``plan`` turns it
into deterministic rows and adds background orders; ``seed`` writes them idempotently.
"""

from .seed import DemoSummary, demo_seed
from .users import DEMO_PASSWORD

__all__ = ["DEMO_PASSWORD", "DemoSummary", "demo_seed"]
