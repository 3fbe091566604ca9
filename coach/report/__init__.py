"""Scorecards and progress reports in HTML and Markdown."""
