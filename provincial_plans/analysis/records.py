"""Typed records of the analysis that report contexts are made of (filled in by the next step)."""
