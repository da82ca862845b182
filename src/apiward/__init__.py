"""apiward: secure APIs across their whole life — discover, test, protect, watch."""

from apiward._version import __version__

__all__ = ["__version__"]
