"""Benchmarks and their data generators; results are reported, not asserted."""
