"""Benchmarks: `python -m benchmarks.<name>` prints figures (they are not tests)."""
