"""The scorer's errors, in a module of their own so that catching them imports nothing heavy."""

from __future__ import annotations


class EmptyAnswer(ValueError):
    """The answer holds no words to score."""


class ModelUnavailable(RuntimeError):
    """The embedding model package is missing or broken; the message says how to fix it."""
