"""REST adapters for the ticket domain (``/api/v1/``). Thin: validate, fetch through the
permission gate, call a service or the guard, serialize. Routes in ``urls.py``."""
