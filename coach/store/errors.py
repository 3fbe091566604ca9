"""Errors of the practice store; each message is one line a person can act on."""

from __future__ import annotations


class StoreError(Exception):
    """Something is wrong with the database or a request to it (one-line message)."""


class StoreCorrupt(StoreError):
    """The file is damaged or is not a coach database; it is never modified."""


class StoreLocked(StoreError):
    """Another program kept the database busy for longer than the retry budget."""


class StoreTooNew(StoreError):
    """The database was written by a newer coach whose schema this one does not know."""


class NotFound(StoreError, LookupError):
    """No candidate, attempt, session or plan by that name or id."""


class InvalidValue(StoreError, ValueError):
    """A value given to the store is out of range (a grade of 7, an empty name...)."""


class ImportFormatError(StoreError):
    """A JSONL import file is malformed; the message names the file, line and field."""
