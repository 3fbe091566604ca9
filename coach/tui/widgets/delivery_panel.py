"""How the answer was said: pace against the 120-160 aim, fillers per minute and where they
fell, long pauses and where, and speaking time against the question's target.

One line per metric, each with a mark: ✓ fine, ~ a little off the aim, ! flagged (pace below
110 or above 180 words a minute, more than 5 fillers a minute, a pause over 2 s, time well over
or under the target). A self-timed answer has no audio: no pauses, and fillers are counted, not
placed in time.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.widgets import Static

from coach.clock import clock
from coach.speech import Delivery, Filler, Pause
from coach.speech.delivery import (
    FILLERS_PER_MIN_MAX,
    LONG_PAUSE_S,
    WPM_AIM,
    WPM_FAST,
    WPM_SLOW,
)
from coach.tui.labels import PASS_MARK

MAX_LISTED = 6  # fillers or pauses listed with their times before "+n more"
LABEL_WIDTH = 8
FLAG, NEAR, NONE = "!", "~", "·"
STYLES = {
    PASS_MARK: "bold $text-success",
    NEAR: "bold $text-warning",
    FLAG: "bold $text-error",
    NONE: "$text-muted",
}


def _line(mark: str, label: str, value: str, detail: str | Content = "") -> Content:
    rest = Content.styled(detail, "$text-muted") if isinstance(detail, str) else detail
    return Content.assemble(
        (f"{mark} ", STYLES.get(mark, "")),
        (f"{label:<{LABEL_WIDTH}}", "bold"),
        (value, STYLES[mark] if mark in (NEAR, FLAG) else "bold"),
        "  ",
        rest,
    )


def _listed(items: Sequence[str]) -> str:
    shown = ", ".join(items[:MAX_LISTED])
    more = len(items) - MAX_LISTED
    return f"{shown} +{more} more" if more > 0 else shown


def pace_line(delivery: Delivery) -> Content:
    aim = (
        f"aim {WPM_AIM[0]:.0f}-{WPM_AIM[1]:.0f}, "
        f"flagged under {WPM_SLOW:.0f} or over {WPM_FAST:.0f}"
    )
    if delivery.pace_flagged:
        mark = FLAG
    elif delivery.pace != "good":
        mark = NEAR
    else:
        mark = PASS_MARK
    return _line(mark, "Pace", f"{delivery.wpm:.0f} wpm", f"{delivery.pace}; {aim}")


def filler_times(fillers: Sequence[Filler]) -> str:
    return _listed([f"{f.word} {clock(f.t)}" for f in fillers])


def fillers_line(delivery: Delivery, timed_only: bool) -> Content:
    rate = f"{delivery.filler_per_min:.1f}/min"
    limit = f"over {FILLERS_PER_MIN_MAX:.0f}/min is flagged"
    if not delivery.fillers:
        return _line(PASS_MARK, "Fillers", rate, f"none heard ({limit})")
    if timed_only:
        which = ", ".join(f"{word} x{n}" for word, n in delivery.filler_counts())
    else:
        which = filler_times(delivery.fillers)
    if delivery.fillers_flagged:
        return _line(FLAG, "Fillers", rate, f"{which}; {limit}: pause silently instead")
    return _line(PASS_MARK, "Fillers", rate, f"{which} ({limit})")


def pause_places(pauses: Sequence[Pause]) -> str:
    return _listed([f'{p.length_s:.1f} s at {clock(p.t)} after "{p.after}"' for p in pauses])


def pauses_line(delivery: Delivery, timed_only: bool) -> Content:
    over = f"over {LONG_PAUSE_S:.0f} s"
    if timed_only:
        return _line(NONE, "Pauses", "not measured", "self-timed: no audio to measure them")
    if not delivery.pauses:
        return _line(PASS_MARK, "Pauses", f"none {over}")
    count = len(delivery.pauses)
    return _line(FLAG, "Pauses", f"{count} {over}", pause_places(delivery.pauses))


def time_line(delivery: Delivery) -> Content:
    spoken = clock(delivery.speaking_s)
    if not delivery.target_seconds:
        return _line(PASS_MARK, "Time", f"{spoken} speaking")
    target = f"against a {clock(delivery.target_seconds)} target"
    verdict = delivery.time_verdict or "ok"
    if verdict == "ok":
        return _line(PASS_MARK, "Time", f"{spoken} speaking", f"{target}: about right")
    detail = "too long: land the result sooner" if verdict == "long" else "short: add detail"
    return _line(FLAG, "Time", f"{spoken} speaking", f"{target}; {detail}")


def delivery_lines(delivery: Delivery, source: str, timed_only: bool = False) -> list[Content]:
    timed_only = timed_only or not delivery.from_audio
    return [
        Content.assemble(("Delivery", "bold $text-primary"), (f" ({source})", "$text-muted")),
        pace_line(delivery),
        fillers_line(delivery, timed_only),
        pauses_line(delivery, timed_only),
        time_line(delivery),
    ]


class DeliveryPanel(Static):
    """The delivery of a spoken answer; `source` says where the figures come from."""

    DEFAULT_CSS = """
    DeliveryPanel {
        height: auto;
        padding: 0 1;
    }
    """

    def __init__(
        self,
        delivery: Delivery,
        source: str,
        *,
        timed_only: bool = False,
        id: str | None = None,
    ) -> None:
        super().__init__(Content("\n").join(delivery_lines(delivery, source, timed_only)), id=id)
        self.delivery = delivery
        self.source = source
        self.timed_only = timed_only
