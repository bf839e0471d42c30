"""The typed contract of a report context (filled in by the next step)."""
