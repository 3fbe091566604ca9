"""Practice history in SQLite: candidates, attempts, sessions, schedules.

Pure core (no UI imports). Open with `open_store(path)` (default: COACH_DB, then the platform
data folder) or `Store(path)`; every method returns frozen dataclasses from `coach.store.models`.
"""

from coach.store.db import latest_version
from coach.store.errors import (
    ImportFormatError,
    InvalidValue,
    NotFound,
    StoreCorrupt,
    StoreError,
    StoreLocked,
    StoreTooNew,
)
from coach.store.history import CandidateHistory
from coach.store.models import (
    DEFAULT_CANDIDATE,
    MODES,
    Attempt,
    Candidate,
    CriterionWeakness,
    Mode,
    PlanItem,
    PlanStep,
    QuestionProgress,
    ScheduleEntry,
    Session,
    SessionPlan,
    TrendPoint,
)
from coach.store.plans import check_plan, load_plan_file, resolve_plan
from coach.store.store import Store, open_store

__all__ = [
    "DEFAULT_CANDIDATE",
    "MODES",
    "Attempt",
    "Candidate",
    "CandidateHistory",
    "CriterionWeakness",
    "ImportFormatError",
    "InvalidValue",
    "Mode",
    "NotFound",
    "PlanItem",
    "PlanStep",
    "QuestionProgress",
    "ScheduleEntry",
    "Session",
    "SessionPlan",
    "Store",
    "StoreCorrupt",
    "StoreError",
    "StoreLocked",
    "StoreTooNew",
    "TrendPoint",
    "check_plan",
    "latest_version",
    "load_plan_file",
    "open_store",
    "resolve_plan",
]
