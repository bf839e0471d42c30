"""The contract between computing and rendering: the typed province and national report contexts, their builders,
and the `contexts` job that writes them (only where they change)."""
