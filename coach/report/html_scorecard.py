"""The HTML report's scorecard of one attempt: grade, STAR parts, criteria with evidence,
mistakes, talking points, delivery, the answer itself and the follow-up probe."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from coach.report.common import (
    day,
    delivery_rows,
    grade_line,
    grade_word,
    meta_parts,
    sentences,
)
from coach.report.markup import Markup, esc, join, tag
from coach.report.model import (
    STAR_LABELS,
    AttemptLike,
    Scorecard,
    criteria_of,
    label,
)

LEGEND_COLOURS = {
    "situation": "#93c5fd",
    "task": "#c4b5fd",
    "action": "#fcd34d",
    "result": "#86efac",
}


def scorecard(card: Scorecard) -> Markup:
    a = card.latest
    result = a.result
    grade = a.effective_grade
    number = f"Question {card.position}" if card.position else card.question_id
    head = tag(
        "header",
        {"class": "card-head"},
        tag(
            "div",
            None,
            tag("div", {"class": "qnum"}, number),
            tag("h3", None, card.title),
            tag("p", {"class": "qtext"}, card.text) if card.text else None,
        ),
        tag(
            "div",
            {"class": f"grade g{grade}", "title": grade_line(a)},
            tag("span", {"class": "big"}, str(grade)),
            tag("span", {"class": "of"}, "/5"),
            tag("small", None, grade_word(grade)),
        ),
    )
    meta = " \u00b7 ".join([*meta_parts(a), grade_line(a)])
    notes = [str(n) for n in result.get("notes", []) if n]
    if result.get("off_topic") and not any("address" in n for n in notes):
        notes.insert(0, "Off-topic: the answer does not address this question.")
    parts: list[Markup | str | None] = [
        head,
        tag("p", {"class": "meta-line"}, meta),
        tag("p", {"class": "scenario"}, tag("strong", None, "Scenario: "), a.scenario)
        if a.scenario
        else None,
        join(tag("p", {"class": "warn"}, "\u26a0 ", n) for n in notes),
        _star(result),
        tag("h4", None, "Criteria"),
        _criteria_table(a),
        _mistakes(result),
        _talking_points(result),
        _delivery(a.delivery),
        tag("div", {"class": "note"}, tag("h4", None, "Coach's note"), tag("p", None, a.coach_note))
        if a.coach_note
        else None,
        tag("h4", None, "The answer"),
        _answer(a),
        _probe(result),
        _earlier(card),
    ]
    return tag("article", {"class": "card", "id": f"q-{card.question_id}"}, parts)


def _star(result: Mapping[str, Any]) -> Markup:
    star = result.get("star") or {}
    chips = []
    for part, name in STAR_LABELS.items():
        info = star.get(part) if isinstance(star, Mapping) else None
        present = bool(info.get("present")) if isinstance(info, Mapping) else False
        chips.append(
            tag(
                "span",
                {"class": f"chip {'yes' if present else 'no'}"},
                ("\u2713 " if present else "\u2717 ") + name,
            )
        )
    if result.get("star_order_ok") is False:
        chips.append(tag("span", {"class": "chip"}, "story out of order"))
    return tag("div", {"class": "chips", "aria-label": "STAR parts"}, chips)


def _meter(score: float, passed: bool) -> Markup:
    width = f"{max(0.0, min(1.0, score)) * 100:.0f}%"
    colour = "#5b9b3a" if passed else "#c0392b"
    return tag(
        "div",
        {"class": "meter"},
        tag("span", {"style": f"width:{width};background:{colour}"}),
    )


def _criteria_table(attempt: AttemptLike) -> Markup:
    rows = []
    for item in criteria_of(attempt):
        passed = bool(item.get("passed"))
        score = float(item.get("score", 0.0))
        evidence = [str(e) for e in item.get("evidence", [])][:2]
        detail: list[Markup | None] = [tag("q", {"class": "ev"}, e) for e in evidence]
        if item.get("reason"):
            detail.append(tag("div", {"class": "reason"}, str(item["reason"])))
        if not passed and item.get("tip"):
            detail.append(
                tag("div", {"class": "tip"}, tag("strong", None, "Tip: "), str(item["tip"]))
            )
        rows.append(
            tag(
                "tr",
                None,
                tag("td", {"class": "name"}, label(str(item.get("id")))),
                tag(
                    "td",
                    {"class": "res"},
                    tag("span", {"class": "ok"}, "\u2713 Shown")
                    if passed
                    else tag("span", {"class": "miss"}, "\u2717 Missing"),
                ),
                tag("td", {"class": "score"}, f"{score:.2f}", _meter(score, passed)),
                tag("td", None, detail),
            )
        )
    header = tag(
        "tr",
        None,
        tag("th", None, "Criterion"),
        tag("th", None, "Result"),
        tag("th", None, "Score"),
        tag("th", None, "Evidence from the answer"),
    )
    return tag("table", {"class": "criteria"}, tag("thead", None, header), tag("tbody", None, rows))


def _mistakes(result: Mapping[str, Any]) -> Markup | None:
    mistakes = [m for m in result.get("mistakes", []) if isinstance(m, Mapping)]
    if not mistakes:
        return None
    items = []
    for m in mistakes:
        penalty = m.get("penalty")
        items.append(
            tag(
                "li",
                None,
                tag("strong", None, label(str(m.get("id")))),
                f" (\u2212{penalty:g} points)"
                if isinstance(penalty, float | int) and penalty
                else "",
                f" \u2014 {m['reason']}" if m.get("reason") else "",
                [tag("q", {"class": "ev"}, str(e)) for e in list(m.get("evidence", []))[:2]],
                tag("div", {"class": "tip"}, tag("strong", None, "Tip: "), str(m["tip"]))
                if m.get("tip")
                else None,
            )
        )
    return tag("div", {"class": "mistakes"}, tag("h4", None, "Mistakes"), tag("ul", None, items))


def _talking_points(result: Mapping[str, Any]) -> Markup | None:
    points = [p for p in result.get("talking_points", []) if isinstance(p, Mapping)]
    if not points:
        return None
    covered = sum(1 for p in points if p.get("covered"))
    items = [
        tag(
            "li",
            None,
            tag(
                "span",
                {"class": "ok" if p.get("covered") else "miss"},
                "\u2713 " if p.get("covered") else "\u25cb ",
            ),
            str(p.get("text", "")),
        )
        for p in points
    ]
    return tag(
        "div",
        {"class": "points"},
        tag("h4", None, f"Talking points covered: {covered} of {len(points)}"),
        tag("ul", None, items),
    )


def _delivery(delivery: Mapping[str, Any] | None) -> Markup | None:
    rows = delivery_rows(delivery)
    if not rows:
        return None
    body = [tag("tr", None, tag("td", {"class": "name"}, k), tag("td", None, v)) for k, v in rows]
    return join(
        [tag("h4", None, "Delivery"), tag("table", {"class": "delivery"}, tag("tbody", None, body))]
    )


def _answer(attempt: AttemptLike) -> Markup:
    pieces = []
    for text, star in sentences(attempt):
        if star in STAR_LABELS:
            pieces.append(
                tag(
                    "span",
                    {"class": f"s {star}", "title": STAR_LABELS[star]},
                    text,
                    tag("sup", None, STAR_LABELS[star][0]),
                )
            )
        else:
            pieces.append(esc(text))
    legend = tag(
        "div",
        {"class": "legend"},
        [
            tag("span", {"style": f"border-color:{colour}"}, STAR_LABELS[part])
            for part, colour in LEGEND_COLOURS.items()
        ],
    )
    return join([tag("div", {"class": "answer"}, pieces), legend])


def _probe(result: Mapping[str, Any]) -> Markup | None:
    probe = result.get("follow_up_probe")
    if not probe:
        return None
    return tag(
        "p", {"class": "probe"}, tag("strong", None, "The interviewer might ask next: "), str(probe)
    )


def _earlier(card: Scorecard) -> Markup | None:
    if not card.earlier:
        return None
    rows = [
        tag(
            "tr",
            None,
            tag("td", None, day(a.submitted_at)),
            tag("td", None, f"{a.effective_grade}/5"),
            tag("td", None, f"{a.overall}/100"),
            tag("td", None, a.mode),
            tag("td", None, a.coach_note),
        )
        for a in reversed(card.earlier)
    ]
    header = tag(
        "tr",
        None,
        [tag("th", None, h) for h in ("Date", "Grade", "Overall", "Mode", "Coach's note")],
    )
    return join(
        [
            tag("h4", None, f"Earlier attempts ({len(card.earlier)})"),
            tag(
                "table", {"class": "earlier"}, tag("thead", None, header), tag("tbody", None, rows)
            ),
        ]
    )
