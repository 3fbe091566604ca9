"""Human names for the scorer's ids, and the colours of the STAR parts (theme variables)."""

from __future__ import annotations

CRITERION_NAMES = {
    "metrics": "Impact metrics",
    "outcome_focus": "Outcome focus",
    "value_first": "Value first",
    "follow_up": "Follow-up",
}
MISTAKE_NAMES = {
    "generic": "Generic answer",
    "activity_over_outcome": "Activity over outcome",
    "criticizes_others": "Criticises others",
    "transactional": "Transactional",
    "ignores_cross_functional": "Ignores partner teams",
}
STAR_NAMES = {"situation": "Situation", "task": "Task", "action": "Action", "result": "Result"}
# Theme variables, so the STAR map reads in light and dark themes alike.
STAR_COLOURS = {
    "situation": "$text-accent",
    "task": "$text-secondary",
    "action": "$text-primary",
    "result": "$text-success",
}
PASS_MARK, FAIL_MARK, MISTAKE_MARK = "✓", "✗", "!"


def name_of(item_id: str) -> str:
    for names in (CRITERION_NAMES, MISTAKE_NAMES, STAR_NAMES):
        if item_id in names:
            return names[item_id]
    return item_id.replace("_", " ").capitalize()


def grade_style(grade: int) -> str:
    """Grades 4-5 in the success colour, 3 in warning, 1-2 in error."""
    if grade >= 4:
        return "bold $text-success"
    if grade == 3:
        return "bold $text-warning"
    return "bold $text-error"
