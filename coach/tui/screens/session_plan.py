"""Pick a coach session: a plan saved in the store, or a quick one (n random, due first)."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from coach.content import ContentPack
from coach.store import SessionPlan, StoreError
from coach.tui.messages import PlansLoaded, StoreProblem
from coach.tui.practice import Practice, quick_plan
from coach.tui.stopwatch import format_seconds

DEFAULT_COUNT = 3
QUICK = {"quick:random": "random", "quick:due": "due"}


def describe(plan: SessionPlan, pack: ContentPack) -> Content:
    """The questions a saved plan asks, with their time limits."""
    lines = [Content.styled(plan.description, "italic")] if plan.description else []
    if plan.pick == "list":
        ids = pack.question_ids()
        for item in plan.items:
            title = (
                pack.questions[ids.index(item.question_id)].title
                if item.question_id in ids
                else f"{item.question_id} (not in this pack)"
            )
            seconds = item.seconds or plan.seconds
            limit = format_seconds(seconds) if seconds else "target time"
            lines.append(Content.assemble(f"• {title} ", (limit, "$text-muted")))
    else:
        kind = "random" if plan.pick == "random" else "due first"
        lines.append(Content(f"{plan.count} questions, {kind}"))
    return Content("\n").join(lines)


class SessionPlanScreen(ModalScreen[SessionPlan | None]):
    CSS_PATH = "session_plan.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, practice: Practice) -> None:
        super().__init__()
        self.practice = practice
        self.plans: dict[str, SessionPlan] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="plan-box"):
            yield Static(Content.styled("Coach session", "bold"), id="plan-title")
            yield OptionList(
                Option("Quick: random questions", id="quick:random"),
                Option("Quick: due questions first", id="quick:due"),
                id="plans",
            )
            with Horizontal(id="plan-count-row"):
                yield Label("Questions in a quick session: ")
                yield Input(str(DEFAULT_COUNT), type="integer", compact=True, id="plan-count")
            yield Static(id="plan-detail")
            yield Static(
                Content.styled(
                    "Enter starts · each question has its time limit · n goes on from a result",
                    "$text-muted",
                ),
                id="plan-keys",
            )

    def on_mount(self) -> None:
        self.query_one("#plans", OptionList).focus()
        self.load()

    @work(thread=True, exclusive=True, group="plans")
    def load(self) -> None:
        try:
            self.post_message(PlansLoaded(self.practice.plans()))
        except StoreError as exc:
            self.post_message(StoreProblem(str(exc)))

    def on_plans_loaded(self, message: PlansLoaded) -> None:
        self.plans = {plan.name: plan for plan in message.plans}
        listing = self.query_one("#plans", OptionList)
        if message.plans:
            listing.add_options([None])
            listing.add_options(
                Option(
                    Content.assemble(("Plan: ", "$text-muted"), (plan.name, "bold")),
                    id=f"plan:{plan.name}",
                )
                for plan in message.plans
            )
        self._show_detail()

    def _count(self) -> int:
        try:
            return max(
                1,
                min(
                    len(self.practice.pack.questions),
                    int(self.query_one("#plan-count", Input).value),
                ),
            )
        except ValueError:
            return DEFAULT_COUNT

    def _chosen(self, option_id: str | None) -> SessionPlan | None:
        if option_id in QUICK:
            return quick_plan("random" if QUICK[option_id] == "random" else "due", self._count())
        if option_id and option_id.startswith("plan:"):
            return self.plans.get(option_id.removeprefix("plan:"))
        return None

    def _show_detail(self) -> None:
        listing = self.query_one("#plans", OptionList)
        option = listing.highlighted_option
        plan = self._chosen(option.id if option else None)
        detail = self.query_one("#plan-detail", Static)
        detail.update(describe(plan, self.practice.pack) if plan else "")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_detail()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._show_detail()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#plans", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        plan = self._chosen(event.option.id)
        if plan is not None:
            self.dismiss(plan)

    def action_cancel(self) -> None:
        self.dismiss(None)
