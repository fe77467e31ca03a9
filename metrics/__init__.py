"""Account health: the formulas Amazon judges a seller by, and their history.

- ``odr``: the Order Defect Rate, exactly as Amazon counts it (distinct orders with at
  least one counted defect, per channel); every exclusion is a named rule.
- ``response_time``: Contact Response Time (answered within the SLA, late, not answered).
- ``fulfillment``: FBM late shipment, valid tracking, pre-fulfillment cancel; return rate.
- ``services``: daily snapshots (``MetricSnapshot``), ODR alerts (``HealthAlert``) and
  their email; ``tasks`` and ``manage.py metrics_backfill`` drive them.
- ``selectors``, ``admin`` (the managers' dashboard), ``api`` (``/api/v1/metrics/…``).
"""
