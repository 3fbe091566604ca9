"""coach: an offline trainer for networking interview answers."""

__version__ = "0.1.0"
