"""Provincial 'Internet + government services' plans: data -> indicators -> bilingual reports."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("provincial-plans")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"
