"""Benchmarks of CSM Desk: ``bench/run.py`` times pages and queries (see bench/RESULTS.md)."""
