"""Practice history in SQLite: candidates, attempts, sessions, schedules."""
