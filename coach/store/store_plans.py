"""The saved-plans part of `Store`: named session plans kept in the file, as JSON.

What a plan is, and how one is written and checked, lives in plans.py.
"""

from __future__ import annotations

import json
import sqlite3

from coach.content import did_you_mean
from coach.store.errors import InvalidValue, NotFound
from coach.store.models import SessionPlan, utc_now
from coach.store.plans import plan_from_dict
from coach.store.rows import to_ts
from coach.store.store_base import StoreBase


class PlansMixin(StoreBase):
    def save_plan(self, plan: SessionPlan, *, replace: bool = False) -> SessionPlan:
        plan = plan_from_dict(plan.to_dict())  # validate

        def save(conn: sqlite3.Connection) -> None:
            exists = conn.execute(
                "SELECT id FROM session_plans WHERE name = ?", (plan.name,)
            ).fetchone()
            spec = json.dumps(plan.to_dict(), ensure_ascii=False)
            if exists and not replace:
                raise InvalidValue(f"a plan named {plan.name!r} already exists")
            if exists:
                conn.execute(
                    "UPDATE session_plans SET name = ?, spec = ? WHERE id = ?",
                    (plan.name, spec, exists["id"]),
                )
            else:
                conn.execute(
                    "INSERT INTO session_plans (name, spec, created_at) VALUES (?, ?, ?)",
                    (plan.name, spec, to_ts(utc_now())),
                )

        self._write(save)
        return self.get_plan(plan.name)

    def get_plan(self, name: str) -> SessionPlan:
        rows = self._read("SELECT spec FROM session_plans WHERE name = ?", (name.strip(),))
        if not rows:
            names = [p.name for p in self.list_plans()]
            raise NotFound(f"no session plan {name!r}{did_you_mean(name, names)}")
        return plan_from_dict(json.loads(rows[0]["spec"]))

    def list_plans(self) -> list[SessionPlan]:
        rows = self._read("SELECT spec FROM session_plans ORDER BY name")
        return [plan_from_dict(json.loads(r["spec"])) for r in rows]

    def delete_plan(self, name: str) -> None:
        def delete(conn: sqlite3.Connection) -> None:
            cur = conn.execute("DELETE FROM session_plans WHERE name = ?", (name.strip(),))
            if cur.rowcount == 0:
                raise NotFound(f"no session plan {name!r}")

        self._write(delete)
