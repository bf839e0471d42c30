"""Benchmarks for the workflow; run `make bench`."""
