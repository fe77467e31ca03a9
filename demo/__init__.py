"""Demo and scale data, outside the ticket domain: ``desk`` is the believable demo desk
(``manage.py seed_demo``, written through the domain's intake services), ``scale`` the
benchmark-sized bulk data (``manage.py seed_scale``)."""
