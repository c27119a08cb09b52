"""Benchmarks: `make bench` runs bench.search on a generated demo city."""
