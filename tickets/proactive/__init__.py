"""The proactive post-delivery guide: when tracking says delivered, the product's
quick-start guide once, through the one outbound path (``services``), sent by Celery
(``tasks``)."""
