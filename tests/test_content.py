"""The content pack loads, holds what the issue asks for, and bad files get one-line errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coach.content import CRITERION_IDS, MISTAKE_IDS, ContentError, ContentPack, load_pack
from coach.content.schema import field_names
from coach.locations import bundled_content_dir

EXPECTED_IDS = [
    "build-network",
    "convert-opportunities",
    "event-roi",
    "event-follow-up",
    "referral-requests",
    "dormant-relationships",
    "prioritize-time",
    "thought-leadership",
    "new-market",
    "relationship-deal",
]


def test_bundled_pack_has_the_ten_questions_in_order(pack: ContentPack) -> None:
    assert pack.question_ids() == EXPECTED_IDS
    assert pack.questions[0].question.startswith("How do you build a professional network")
    assert pack.questions[9].question == "Share a deal sourced through relationships."


@pytest.mark.parametrize("index", range(10))
def test_every_question_is_complete(pack: ContentPack, index: int) -> None:
    question = pack.questions[index]
    assert len(question.scenarios) >= 2
    assert question.talking_points and question.key_concepts and question.why_asked
    assert 15 <= question.target_seconds <= 900
    model = question.model_answer.text()
    assert any(ch.isdigit() for ch in model), "the model answer must hold real numbers"
    for part in ("situation", "task", "action", "result"):
        assert part in question.follow_up_probes


def test_source_scenarios_are_carried_into_the_pack(pack: ContentPack) -> None:
    scenarios = " ".join(s for q in pack.questions for s in q.scenarios).lower()
    assert "association" in scenarios and "panel" in scenarios


def test_rubric_uses_the_contract_ids(pack: ContentPack) -> None:
    assert field_names(type(pack.rubric.criteria)) == list(CRITERION_IDS)
    assert field_names(type(pack.rubric.mistakes)) == list(MISTAKE_IDS)


def test_find_question_by_id_and_position(pack: ContentPack) -> None:
    assert pack.find_question("3").id == "event-roi"
    assert pack.find_question(10).id == "relationship-deal"
    with pytest.raises(KeyError, match="did you mean 'event-roi'"):
        pack.find_question("event-rio")
    with pytest.raises(KeyError, match="expected 1 to 10"):
        pack.find_question("11")


@pytest.fixture()
def pack_copy(tmp_path: Path) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(bundled_content_dir(), target, ignore=shutil.ignore_patterns("calibration"))
    return target


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


CASES = [
    # (file, old, new, expected fragments of the one-line error)
    (
        "questions.yaml",
        "    talking_points:",
        "    talking_pointz:",
        ["talking_pointz", "did you mean 'talking_points'"],
    ),
    ("questions.yaml", "target_seconds: ", "target_seconds: soon #", ["target_seconds", "integer"]),
    # A key holding a line break (found by the fuzzer) is escaped, so the error stays one line.
    ("questions.yaml", "    why_asked:", '    "a\\nb": 1\n    why_asked:', ["a\\nb", "unknown field"]),
    (
        "rubrics/networking.yaml",
        "  metrics:\n    weight: 20",
        "  metrcs:\n    weight: 20",
        ["did you mean 'metrics'"],
    ),
    ("rubrics/networking.yaml", "cutoffs: [", "cutoffs: [99, ", ["cutoffs"]),
    (
        "questions.yaml",
        "target_seconds: ",
        "target_seconds: 5 #",
        ["questions[0].target_seconds", "expected a number from 15 to 900 (got 5)"],
    ),
    (
        "rubrics/networking.yaml",
        "fuzzy_ratio: 88",
        "fuzzy_ratio: 8",
        ["grading.fuzzy_ratio", "expected a number from 50 to 100 (got 8)"],
    ),
    (
        "rubrics/networking.yaml",
        "no_result_max_grade: 3",
        "no_result_max_grade: 6",
        ["grading.no_result_max_grade", "expected a number from 1 to 5 (got 6)"],
    ),
    (
        "rubrics/networking.yaml",
        "too_long_ratio: 3",
        "too_long_ratio: 0",
        ["grading.too_long_ratio", "expected a number from 1 to 20 (got 0)"],
    ),
    ("questions.yaml", "- id: build-network", "- id: Build Network", ["lowercase letters"]),
    ("questions.yaml", "version: 1", "version: 2", ["version: expected 1 (got 2)"]),
    ("questions.yaml", "    title: ", "    title: 12 #", ["title: expected text (got 12)"]),
    (
        "rubrics/questions/event-roi.yaml",
        "question: event-roi",
        "question: event-rio",
        ["did you mean 'event-roi'"],
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "fragments"), CASES)
def test_bad_files_name_file_line_and_field(
    pack_copy: Path, name: str, old: str, new: str, fragments: list[str]
) -> None:
    path = pack_copy / name
    _replace(path, old, new)
    with pytest.raises(ContentError) as caught:
        load_pack(pack_copy)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    line = _line_of(path, new.splitlines()[0].strip().split(":")[0] + ":")
    assert caught.value.line == line
    for fragment in fragments:
        assert fragment in message


def test_a_key_given_twice_is_an_error_not_a_silent_override(pack_copy: Path) -> None:
    """YAML keeps only the last of two equal keys: an edit to the first would be lost unseen."""
    path = pack_copy / "rubrics/questions/event-roi.yaml"
    _replace(path, "question: event-roi", "question: event-roi\nquestion: new-market")
    with pytest.raises(ContentError, match="duplicate key: it is already on line 2") as caught:
        load_pack(pack_copy)
    assert caught.value.line == 3 and caught.value.field == "question"


def test_broken_yaml_syntax_points_at_the_line(pack_copy: Path) -> None:
    path = pack_copy / "questions.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[6] = "    title: [unclosed, list"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ContentError, match="invalid YAML") as caught:
        load_pack(pack_copy)
    assert caught.value.line is not None and 7 <= caught.value.line <= 9


def test_non_utf8_file_is_reported(pack_copy: Path) -> None:
    path = pack_copy / "questions.yaml"
    path.write_bytes(path.read_bytes()[:200] + b"\xff\xfe" + path.read_bytes()[200:])
    with pytest.raises(ContentError, match="not valid UTF-8"):
        load_pack(pack_copy)


def test_yaml_is_loaded_safely(pack_copy: Path) -> None:
    path = pack_copy / "questions.yaml"
    path.write_text("!!python/object/apply:os.system ['echo pwned']\n", encoding="utf-8")
    with pytest.raises(ContentError, match="invalid YAML"):
        load_pack(pack_copy)


def test_content_check_command(pack_copy: Path) -> None:
    ok = subprocess.run(
        [sys.executable, "-m", "coach", "content", "check", str(pack_copy)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert "10 questions" in ok.stdout
    _replace(pack_copy / "questions.yaml", "    why_asked:", "    why_askd:")
    bad = subprocess.run(
        [sys.executable, "-m", "coach", "content", "check", str(pack_copy)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1
    assert "did you mean 'why_asked'" in bad.stderr


def test_content_check_takes_the_content_flag_too(pack_copy: Path) -> None:
    _replace(pack_copy / "questions.yaml", "    why_asked:", "    why_askd:")
    bad = subprocess.run(
        [sys.executable, "-m", "coach", "content", "check", "--content", str(pack_copy)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert "did you mean 'why_asked'" in bad.stderr


# ---------------------------------------------------------------- the parsed-data cache

LOAD_AND_REPORT = """
import sys
from pathlib import Path
from coach.content import load_pack
pack = load_pack(Path(sys.argv[1]))
print("yaml read" if "yaml" in sys.modules else "from cache")
print([q.title for q in pack.questions])
"""


def test_an_unchanged_pack_loads_again_without_reading_its_yaml(
    pack_copy: Path, tmp_path: Path
) -> None:
    env = {**os.environ, "COACH_CACHE_DIR": str(tmp_path / "cache")}

    def start() -> list[str]:
        command = [sys.executable, "-c", LOAD_AND_REPORT, str(pack_copy)]
        out = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        return out.stdout.splitlines()

    first, second = start(), start()
    assert first[0] == "yaml read" and second[0] == "from cache"
    assert first[1] == second[1]
    _replace(pack_copy / "questions.yaml", "title:", "title: Edited")
    assert start()[0] == "yaml read"


def test_an_edit_is_seen_at_once_even_at_the_same_size(
    pack_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COACH_CACHE_DIR", str(tmp_path / "cache"))
    title = load_pack(pack_copy).questions[0].title
    changed = title[::-1]  # same length, so the file keeps its size
    _replace(pack_copy / "questions.yaml", title, changed)
    assert load_pack(pack_copy).questions[0].title == changed


def test_cached_data_the_checks_refuse_gives_way_to_the_yaml(
    pack_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As after an upgrade whose checks are stricter: the YAML is read again, and a real
    problem is reported with its line."""
    monkeypatch.setenv("COACH_CACHE_DIR", str(tmp_path / "cache"))
    expected = load_pack(pack_copy)
    (copy,) = (tmp_path / "cache" / "content").glob("*.json")
    stored = json.loads(copy.read_text(encoding="utf-8"))
    stored["data"][0]["questions"][0]["id"] = "Not An Id!"
    copy.write_text(json.dumps(stored), encoding="utf-8")
    assert load_pack(pack_copy) == expected


def test_a_cache_folder_that_cannot_be_written_does_not_stop_loading(
    pack_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("COACH_CACHE_DIR", str(blocker))
    assert [q.id for q in load_pack(pack_copy).questions] == EXPECTED_IDS
    assert [q.id for q in load_pack(pack_copy).questions] == EXPECTED_IDS
