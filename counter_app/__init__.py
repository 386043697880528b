"""Counter: cashiering client for a utility's public counter."""

__version__ = "0.1.0"
