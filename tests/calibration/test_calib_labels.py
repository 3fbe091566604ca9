"""Reading labels files: JSONL and YAML, bad records reported with their line, the rest used."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coach.calibration import LabelsError, load_labels, parse_labels
from coach.content import ContentPack


def resolver(pack: ContentPack):  # type: ignore[no-untyped-def]
    return lambda ref: pack.find_question(ref).id


def jsonl(*records: object) -> str:
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n"


GOOD = {"id": "a", "question": "build-network", "answer": "I built a network.", "grade": 4}


def test_jsonl_bad_lines_are_reported_and_the_rest_is_used(pack: ContentPack) -> None:
    text = jsonl(
        GOOD,  # 1
        "",  # 2 blank lines are skipped
        "{not json",  # 3
        {"id": "b", "question": 2, "grade": 3},  # 4: no answer
        {"id": "c", "question": "build-network", "answer": "Text.", "grade": 7},  # 5
        {"id": "d", "question": "no-such-question", "answer": "Text.", "grade": 2},  # 6
        {
            "id": "e",
            "question": 3,
            "answer": "Text.",
            "labels": {"metric": True, "follow_up": "yes"},
        },
        {"id": "f", "question": "build-network", "answer": "Text."},  # 8: nothing to compare
        {"id": "a", "question": 1, "answer": "Again.", "grade": 2},  # 9: duplicate id
        {"question": 1, "answer": "No id.", "grades": [3, 4], "labels": {"metrics": None}},  # 10
        "[1, 2]",  # 11
    )
    labels = parse_labels(text, Path("set.jsonl"), resolver(pack))
    assert [r.id for r in labels.records] == ["a", "line 10"]
    by_line = {issue.line: issue for issue in labels.issues}
    assert by_line[3].skipped and "not valid JSON" in by_line[3].message
    assert by_line[4].skipped and "'answer' is missing" in by_line[4].message
    assert by_line[5].skipped and "from 1 to 5" in by_line[5].message
    assert by_line[6].skipped and "unknown question" in by_line[6].message
    assert by_line[8].skipped and "nothing to compare" in by_line[8].message
    assert by_line[9].skipped and "duplicate id 'a' (first at line 1)" in by_line[9].message
    assert by_line[11].skipped
    # Line 7 keeps nothing usable: its only labels are bad, so the record goes too.
    line7 = [i for i in labels.issues if i.line == 7]
    assert any("did you mean 'metrics'" in i.message and not i.skipped for i in line7)
    assert any("expected true or false" in i.message for i in line7)
    assert any(i.skipped and "nothing to compare" in i.message for i in line7)
    assert all(str(i).startswith("set.jsonl:") for i in labels.issues)
    no_id = labels.records[1]
    assert no_id.question == pack.questions[0].id
    assert no_id.grades == (3, 4) and no_id.grade == 4  # the median, rounded half up
    assert no_id.labels == {}  # null labels are simply not judged


def test_question_positions_resolve_to_ids(pack: ContentPack) -> None:
    labels = parse_labels(jsonl({**GOOD, "question": 2}), Path("x.jsonl"), resolver(pack))
    assert labels.records[0].question == pack.questions[1].id


YAML_TEXT = """\
# a comment line
- id: ok-1
  question: build-network
  grade: 5
  answer: |
    I introduced two partners before asking for anything.
  labels:
    metrics: false
    value_first: true
- id: bad-grade
  question: build-network
  grade: six
  answer: Text.
- id: bad-question
  question: build-netwrok
  grade: 2
  answer: Text.
- id: ok-2
  question: 3
  kind: weak
  grades: [2, 3, 2]
  answer: Text of my own.
  labels:
    generic: true
    folow_up: false
- just a string
- id: empty
  question: 1
  grade: 2
  answer: "   "
"""


def test_yaml_bad_records_report_their_line_from_the_node_marks(pack: ContentPack) -> None:
    labels = parse_labels(YAML_TEXT, Path("set.yaml"), resolver(pack))
    assert [r.id for r in labels.records] == ["ok-1", "ok-2"]
    assert labels.records[0].line == 2
    assert labels.records[0].labels == {"metrics": False, "value_first": True}
    assert labels.records[1].grade == 2 and labels.records[1].kind == "weak"
    issues = {(i.line, i.skipped): i.message for i in labels.issues}
    assert "'grade' must be a whole number" in issues[(12, True)]  # the grade line itself
    assert "did you mean 'build-network'" in issues[(15, True)]  # the question line
    assert "did you mean 'follow_up'" in issues[(25, False)]  # the misspelt label's line
    assert "expected a record" in issues[(26, True)]
    assert "'answer' is empty" in issues[(30, True)]
    assert labels.skipped == 4


def test_yaml_from_disk_and_json_arrays(tmp_path: Path, pack: ContentPack) -> None:
    path = tmp_path / "set.yml"
    path.write_text(YAML_TEXT, encoding="utf-8")
    assert len(load_labels(path, resolver(pack)).records) == 2
    array = tmp_path / "set.json"
    array.write_text(
        json.dumps([GOOD, {**GOOD, "id": "b", "grade": 0}], indent=2), encoding="utf-8"
    )
    labels = load_labels(array, resolver(pack))
    assert [r.id for r in labels.records] == ["a"]
    assert labels.issues[0].line is not None and labels.issues[0].line > 1


@pytest.mark.parametrize(
    ("text", "name", "message"),
    [
        ("- id: a\n  question: [unclosed\n", "bad.yaml", "bad.yaml:3: invalid YAML"),
        ("id: a\nquestion: 1\n", "map.yaml", "expected a YAML list of records"),
    ],
)
def test_unreadable_files_raise_one_line(
    tmp_path: Path, text: str, name: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LabelsError) as caught:
        load_labels(path)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    if "invalid YAML" in message:
        assert "flow sequence at line 2" in str(caught.value)


def test_missing_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(LabelsError, match="file not found"):
        load_labels(tmp_path / "nope.jsonl")
    binary = tmp_path / "bin.jsonl"
    binary.write_bytes(b'{"a": 1}\n\xff\xfe')
    with pytest.raises(LabelsError, match=r"bin.jsonl:2: not UTF-8"):
        load_labels(binary)


def test_empty_file_has_no_records(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("# nothing yet\n", encoding="utf-8")
    labels = load_labels(path)
    assert labels.records == () and labels.issues == ()


def test_bundled_calibration_sets_parse_cleanly(pack: ContentPack, content_root: Path) -> None:
    for path in sorted((content_root / "calibration").glob("*.yaml")):
        labels = load_labels(path, resolver(pack))
        assert labels.records, path
        assert not labels.issues, [str(i) for i in labels.issues]
