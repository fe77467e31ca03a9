"""The agent desk (server-rendered pages with htmx): thin adapters over the selectors
(reads, through the permission gate) and the services (writes)."""
