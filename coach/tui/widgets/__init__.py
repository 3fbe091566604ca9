"""Widgets of the practice app, one per module."""
