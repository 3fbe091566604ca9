"""Scorecards and progress reports in HTML and Markdown.

Pure: takes attempts (anything shaped like `coach.store.Attempt`, see `AttemptLike`) and the
pack's questions, returns text. The HTML is one self-contained page: inline CSS and SVG charts,
no scripts and nothing fetched from the network; every answer, note and name is escaped.
"""

from coach.report.html_report import render_html
from coach.report.markdown_report import render_markdown
from coach.report.model import AttemptLike, CandidateReport, Report, Scorecard, build_report

__all__ = [
    "AttemptLike",
    "CandidateReport",
    "Report",
    "Scorecard",
    "build_report",
    "render_html",
    "render_markdown",
]
