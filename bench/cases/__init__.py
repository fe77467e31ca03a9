"""Bench cases, one module per area. Importing this package registers them all.

To add cases: write ``bench/cases/<area>.py`` with ``@case("<area>: …")`` functions
(see ``bench/registry.py``) and import the module here.
"""

from . import admin, api, desk, metrics, sla  # noqa: F401
