"""Benchmarks (`make bench`) and the load test with fault drills (`make loadtest`).

Nothing here is imported by the site. See README.md, "Benchmarks and load".
"""
