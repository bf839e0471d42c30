"""Beside the workflow, never part of a build: document acquisition over the network, bundles and their
verification, the yearly timer and the scheduled rebuild."""
