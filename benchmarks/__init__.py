"""Benchmark sections of ``python benchmarks/run.py`` (see docs/benchmarks.md)."""
