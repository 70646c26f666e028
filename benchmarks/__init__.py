"""Benchmarks of RNN Studio (run: python -m benchmarks.bench_window)."""
