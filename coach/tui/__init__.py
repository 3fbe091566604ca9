"""The practice app: a Textual TUI over the content pack and the scorer.

`coach.tui.app.create_app` builds the app (used by `coach` and by the tests);
screens live in `coach.tui.screens`, widgets in `coach.tui.widgets`.
"""
