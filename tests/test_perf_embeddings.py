"""The fast embedding path: onnxruntime gives sentence-transformers' embeddings and scores, the
content cache is hit, invalidated by a changed text, and never holds anything of an answer."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest
import yaml

from coach.content import ContentPack, load_pack
from coach.locations import bundled_content_dir
from coach.scoring import MiniLM, ModelUnavailable, Scorer
from coach.scoring.embedding import Embedder, content_texts, default_embedder
from coach.scoring.embedding_cache import CachingEmbedder, EmbeddingStore, text_key
from coach.scoring.onnx_embedder import GRAPH_VERSION, PACK_TOKENS, OnnxMiniLM, OnnxUnavailable
from coach.scoring.text import split_sentences

ROOT = Path(__file__).resolve().parent.parent
LONG_FIRST = (
    "The quarterly football league met every Saturday morning on the muddy pitch behind the old "
    "school, where the coach shouted drills and the players ran laps in the rain. "
)
LONG_SECOND = (
    "Revenue pipeline conversion deals closed, million dollars of annual recurring revenue. "
)

SENTENCES = [
    "",
    " ",
    "...",
    "?!",
    "a",
    "Networking.",
    "I",
    "At my last company I was the first partnerships hire in the region.",
    "My goal was to build a referral channel worth a million in pipeline.",
    "Before asking for anything I introduced each partner to a client they wanted to meet.",
    "I followed up within a week and set a monthly touchpoint in the CRM.",
    "We closed nine deals worth $1.4M and referrals converted at 48%.",
    "I went to forty events and collected hundreds of cards.",
    "Honestly I rarely follow up after conferences.",
    "Our customer success lead joined the quarterly reviews.",
    "The sales cycle dropped from 120 to 75 days.",
    "Networking is about relationships and trust.",
    "Pipeline grew from $0 to $3,400,000 in 18 months (a 52% win rate vs. 12% outbound).",
    "Q3 2023: 11 deals, 2.5x ROI, NPS +42, churn -3.1 pp.",
    "1 2 3 4 5 6 7 8 9 10",
    "3.14159 2.71828 1.41421",
    "2021-03-04T10:15:00Z",
    "Call me at +1 (555) 010-9999 or mail jane.doe@example.com",
    "https://example.com/partners?id=42&ref=coach",
    "I HATE COLD CALLING!!!",
    "i dont really do networking tbh, its kinda fake",
    "Ich habe ein Netzwerk von Partnern in der Fertigungsindustrie aufgebaut.",
    "J'ai développé un réseau de partenaires qui a généré 2 millions d'euros.",
    "Construí una red de socios que generó el 30 % de los ingresos.",
    "Я построил сеть партнёров, которая принесла треть выручки.",
    "我建立了一个合作伙伴网络，带来了三分之一的收入。",
    "日本語のテキストです。パートナー網を作りました。",
    "파트너 네트워크를 구축했습니다.",
    "شبكة الشركاء جلبت ثلث الإيرادات",
    "Ελληνικά: δίκτυο συνεργατών.",
    "Naïve café résumé — coöperate façade",
    "Emoji test 🚀🤝📈 great partnership!",
    "Tab\tseparated\tand\nnew\nlines",
    "   leading and trailing spaces   ",
    "The the the the the the the the the the",
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
    'He said: "we\'ll see" — and never called back.',
    "Our CMO, CFO and VP of Sales co-hosted the CXO roundtable.",
    "Don't ask for referrals before you've given something.",
    "If I couldn't help, I'd introduce them to someone who could.",
    "We lost the deal; I asked the buyer why and shared the notes with product.",
    "Marketing and product weren't involved at all, which was a mistake.",
    "I never pitch at a first meeting.",
    "(((brackets))) [[[squares]]] {{{braces}}}",
    "x" * 300,
    "word " * 400,
    LONG_FIRST * 12 + LONG_SECOND * 12,
    LONG_SECOND * 12 + LONG_FIRST * 12,
    " ".join(f"deal{i} closed at {i * 7}% margin" for i in range(120)),
]


@pytest.fixture(scope="module")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("coach-cache")


@pytest.fixture(scope="module")
def onnx(model_cache: Path) -> OnnxMiniLM:
    model = OnnxMiniLM(cache=model_cache)
    model.load()
    return model


class Counting:
    """An embedder that counts the texts it is asked to encode."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.cache_key = getattr(inner, "cache_key", inner.name)
        self.texts: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.texts.extend(texts)
        return self.inner.encode(texts)


def _prepare_as_content(scorer: Scorer, question: str | int) -> None:
    """What Scorer.prepare does once scorer.py marks its texts as content (harmless if it does)."""
    with content_texts(scorer.embedder):
        scorer.prepare(scorer.pack.find_question(question))


# ---------------------------------------------------------------- same embeddings, same scores


def test_onnx_embeddings_match_sentence_transformers(
    onnx: OnnxMiniLM, embedder: MiniLM, pack: ContentPack
) -> None:
    rubric = pack.rubric_for(pack.questions[0].id)
    texts = [*SENTENCES, *rubric.criteria.metrics.exemplars, pack.questions[0].question]
    assert len(texts) >= 50
    tokens = onnx._tokenizer.encode(LONG_FIRST * 12 + LONG_SECOND * 12)
    assert len(tokens.ids) == 256, "the long texts must reach max_seq_length"
    ours = onnx.encode(texts)
    reference = embedder.encode(texts)
    assert ours.dtype == np.float32 and ours.shape == (len(texts), 384)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    cosines = np.sum(ours * reference, axis=1)
    worst = int(np.argmin(cosines))
    assert cosines.min() >= 0.999, f"cosine {cosines.min():.6f} for {texts[worst][:60]!r}"
    # batch composition must not matter: one at a time gives the same vectors
    single = np.stack([onnx.encode([t])[0] for t in texts[:12]])
    np.testing.assert_allclose(single, ours[:12], atol=1e-5)
    # nor packing: a short input shares rows (one text sees only itself), a long one does not
    assert sum(onnx.token_counts(texts)) > PACK_TOKENS
    short = [i for i, t in enumerate(texts) if onnx.token_counts([t])[0] <= 40][:20]
    assert len(short) >= 15 and sum(onnx.token_counts([texts[i] for i in short])) <= PACK_TOKENS
    packed = onnx.encode([texts[i] for i in short])
    np.testing.assert_allclose(packed, ours[short], atol=1e-5)
    assert np.sum(packed * reference[short], axis=1).min() >= 0.999


def test_onnx_scores_match_sentence_transformers_on_calibration(
    onnx: OnnxMiniLM, scorer: Scorer, pack: ContentPack
) -> None:
    records = yaml.safe_load(
        (bundled_content_dir() / "calibration" / "tune.yaml").read_text(encoding="utf-8")
    )
    items = [(str(r["question"]), str(r["answer"])) for r in records]
    reference = scorer.score_many(items)
    fast = Scorer(pack, onnx).score_many(items)
    for record, ref, got in zip(records, reference, fast, strict=True):
        where = record["id"]
        assert got.grade == ref.grade, where
        assert abs(got.overall - ref.overall) <= 1, where
        assert [(c.id, c.passed) for c in got.criteria] == [
            (c.id, c.passed) for c in ref.criteria
        ], where
        assert [m.id for m in got.mistakes] == [m.id for m in ref.mistakes], where
        assert {p: s.present for p, s in got.star.items()} == {
            p: s.present for p, s in ref.star.items()
        }, where


def test_onnx_path_imports_no_torch(model_cache: Path, onnx: OnnxMiniLM) -> None:
    code = (
        "import sys\n"
        "from coach.scoring.embedding import default_embedder\n"
        "e = default_embedder()\n"
        "assert type(e.inner).__name__ == 'OnnxMiniLM', type(e.inner)\n"
        "assert e.encode(['hello there']).shape == (1, 384)\n"
        "bad = [m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    env = {**os.environ, "COACH_CACHE_DIR": str(model_cache)}
    env.pop("COACH_EMBEDDER", None)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_graph_is_exported_once_and_reused(model_cache: Path, onnx: OnnxMiniLM) -> None:
    assert onnx.graph_path is not None and onnx.graph_path.parent == model_cache / "models"
    assert onnx.graph_path.name.endswith(f"-g{GRAPH_VERSION}.onnx")
    before = onnx.graph_path.stat().st_mtime_ns
    again = OnnxMiniLM(cache=model_cache)
    again.load()
    assert again.graph_path == onnx.graph_path
    assert onnx.graph_path.stat().st_mtime_ns == before
    assert not [p for p in onnx.graph_path.parent.iterdir() if p.name.endswith(".tmp")]


def test_damaged_graph_is_rebuilt(tmp_path: Path, onnx: OnnxMiniLM) -> None:
    assert onnx.graph_path is not None
    target = tmp_path / "models" / onnx.graph_path.name
    target.parent.mkdir()
    target.write_bytes(b"half a file")
    model = OnnxMiniLM(cache=tmp_path)
    vectors = model.encode(["I followed up within a week."])
    np.testing.assert_allclose(vectors, onnx.encode(["I followed up within a week."]), atol=1e-6)
    assert target.stat().st_size > 80_000_000


def test_falls_back_to_sentence_transformers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def broken(self: OnnxMiniLM) -> None:
        raise OnnxUnavailable("onnxruntime is not installed")

    monkeypatch.setenv("COACH_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("COACH_EMBEDDER", raising=False)
    monkeypatch.setattr(OnnxMiniLM, "load", broken)
    monkeypatch.setattr(MiniLM, "load", lambda self: None)
    assert isinstance(default_embedder().inner, MiniLM)
    monkeypatch.setenv("COACH_EMBEDDER", "onnx")
    with pytest.raises(ModelUnavailable, match="onnxruntime is not installed"):
        default_embedder()


def test_environment_picks_the_reference_model(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def unexpected(self: OnnxMiniLM) -> None:
        raise AssertionError("the ONNX model should not load")

    monkeypatch.setenv("COACH_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("COACH_EMBEDDER", "sentence-transformers")
    monkeypatch.setattr(OnnxMiniLM, "load", unexpected)
    monkeypatch.setattr(MiniLM, "load", lambda self: None)
    assert isinstance(default_embedder().inner, MiniLM)


# ---------------------------------------------------------------- the content cache


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[EmbeddingStore]:
    found = EmbeddingStore(tmp_path / "embeddings.sqlite3")
    yield found
    found.close()


def test_cache_is_hit_on_the_second_run(
    onnx: OnnxMiniLM, pack: ContentPack, store: EmbeddingStore
) -> None:
    answer = "I introduced a partner to a client. We closed nine deals worth $1.4M."
    first = Counting(onnx)
    cold = Scorer(pack, CachingEmbedder(first, store))
    _prepare_as_content(cold, 1)
    cold_result = cold.score(1, answer)
    assert len(first.texts) > 30  # the question's content went through the model once

    second = Counting(onnx)
    caching = CachingEmbedder(second, store)
    warm = Scorer(pack, caching)
    _prepare_as_content(warm, 1)
    assert second.texts == []  # every content text came from the disk
    assert caching.hits > 30 and caching.misses == 0
    warm_result = warm.score(1, answer)
    assert second.texts == [s.text for s in split_sentences(answer)]  # only the answer
    assert warm_result.to_dict() == cold_result.to_dict()
    np.testing.assert_array_equal(
        warm.prepare(pack.find_question(1)).exemplars,
        cold.prepare(pack.find_question(1)).exemplars,
    )


def test_cache_is_invalidated_when_a_text_changes(
    onnx: OnnxMiniLM, tmp_path: Path, store: EmbeddingStore
) -> None:
    content = tmp_path / "content"
    shutil.copytree(bundled_content_dir(), content)
    original = load_pack(content)
    question = original.questions[0]
    exemplar = original.rubric_for(question.id).criteria.follow_up.exemplars[0]
    _prepare_as_content(Scorer(original, CachingEmbedder(onnx, store)), question.id)

    changed_text = exemplar.rstrip(".") + " every single quarter."
    rubric = content / "rubrics" / "networking.yaml"
    raw = rubric.read_text(encoding="utf-8")
    assert raw.count(exemplar) == 1
    rubric.write_text(raw.replace(exemplar, changed_text), encoding="utf-8")
    changed = load_pack(content)
    counting = Counting(onnx)
    caching = CachingEmbedder(counting, store)
    scorer = Scorer(changed, caching)
    _prepare_as_content(scorer, question.id)
    assert counting.texts == [changed_text]  # only the edited exemplar is encoded again
    row = scorer.prepare(changed.find_question(question.id)).signals["criterion:follow_up"].rows
    vectors = scorer.prepare(changed.find_question(question.id)).exemplars
    assert vectors is not None
    np.testing.assert_allclose(vectors[row.start], onnx.encode([changed_text])[0], atol=1e-6)


def test_cache_survives_a_damaged_or_unwritable_file(onnx: OnnxMiniLM, tmp_path: Path) -> None:
    damaged = tmp_path / "embeddings.sqlite3"
    damaged.write_bytes(b"this is not a database" * 100)
    caching = CachingEmbedder(onnx, EmbeddingStore(damaged))
    with caching.content():
        vectors = caching.encode(["Networking is about trust.", "Follow up within a week."])
    np.testing.assert_allclose(
        vectors, onnx.encode(["Networking is about trust.", "Follow up within a week."]), atol=1e-6
    )
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("x")
    caching = CachingEmbedder(onnx, EmbeddingStore(blocked / "embeddings.sqlite3"))
    with caching.content():
        assert caching.encode(["Networking is about trust."]).shape == (1, 384)


def test_only_texts_marked_as_content_are_stored(onnx: OnnxMiniLM, store: EmbeddingStore) -> None:
    caching = CachingEmbedder(onnx, store)
    caching.encode(["an answer sentence outside content()"])
    assert store.count() == 0

    def other_thread() -> None:
        caching.encode(["an answer scored in another thread"])

    with caching.content():
        caching.encode(["a rubric exemplar"])
        worker = threading.Thread(target=other_thread)
        worker.start()
        worker.join()
    assert store.count() == 1
    assert store.get(caching.model_key, [text_key("a rubric exemplar")])


def _answer_keys(answers: Sequence[str]) -> set[bytes]:
    return {text_key(s.text) for a in answers for s in split_sentences(a)} | {
        text_key(a) for a in answers
    }


def _stored_keys(path: Path) -> set[bytes]:
    with sqlite3.connect(path) as db:
        return {bytes(k) for (k,) in db.execute("SELECT key FROM vectors")}


def _files_containing(root: Path, needles: Sequence[str]) -> list[str]:
    hits = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            hits += [f"{path}: {n!r}" for n in needles if n.encode() in data]
    return hits


ANSWERS = [
    "At Zyqorblat Logistics I grew partner pipeline to $7.7M. I followed up with Quennimara weekly.",
    "I asked Plovdivska Ventures for referrals on the first call. It did not go well.",
]


def test_nothing_of_an_answer_reaches_the_cache(
    onnx: OnnxMiniLM, pack: ContentPack, store: EmbeddingStore
) -> None:
    scorer = Scorer(pack, CachingEmbedder(onnx, store))
    for question in (1, 2):
        _prepare_as_content(scorer, question)
    before = _stored_keys(store.path)
    assert before
    scorer.score_many([(1, ANSWERS[0]), (2, ANSWERS[1])])
    for answer in ANSWERS:
        scorer.score(1, answer)
    assert _stored_keys(store.path) == before
    assert not before & _answer_keys(ANSWERS)
    assert not _files_containing(store.path.parent, ["Zyqorblat", "Quennimara", "Plovdivska"])


def test_cli_caches_content_but_no_answer(model_cache: Path, onnx: OnnxMiniLM) -> None:
    """`coach score` end to end: the second start finds the content in the cache dir."""
    answer = model_cache / "answer.txt"
    answer.write_text(ANSWERS[0], encoding="utf-8")
    env = {**os.environ, "COACH_CACHE_DIR": str(model_cache)}
    env.pop("COACH_EMBEDDER", None)
    command = [sys.executable, "-m", "coach", "score", "-q", "1", "--file", str(answer), "--json"]
    first = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert first.returncode == 0, first.stderr
    database = model_cache / "embeddings.sqlite3"
    assert database.exists(), "scorer.py must encode its content texts inside content_texts()"
    stored = _stored_keys(database)
    assert len(stored) > 30
    assert not stored & _answer_keys(ANSWERS)
    answer.unlink()
    assert not _files_containing(model_cache, ["Zyqorblat", "Quennimara"])


def test_int8_option_stays_close(model_cache: Path, onnx: OnnxMiniLM) -> None:
    """The quantized option (COACH_EMBEDDER=onnx-int8) is faster but not exact; it stays close."""
    quick = OnnxMiniLM(cache=model_cache, quantized=True)
    texts = [t for t in SENTENCES if len(t) > 10]
    cosines = np.sum(quick.encode(texts) * onnx.encode(texts), axis=1)
    assert cosines.min() >= 0.95 and float(np.median(cosines)) >= 0.98
    assert quick.cache_key != onnx.cache_key  # never mixed with exact embeddings in the cache


def test_a_growing_answer_encodes_only_its_new_sentences(
    onnx: OnnxMiniLM, pack: ContentPack, store: EmbeddingStore
) -> None:
    """The live check scores the answer again as it grows: sentences seen before stay in memory."""
    counting = Counting(onnx)
    scorer = Scorer(pack, CachingEmbedder(counting, store))
    _prepare_as_content(scorer, 1)
    first, second = ANSWERS[0], ANSWERS[0] + " We closed four deals worth $620K."
    fresh = Scorer(pack, CachingEmbedder(onnx, store))
    _prepare_as_content(fresh, 1)
    scorer.score(1, first)
    counting.texts.clear()
    grown = scorer.score(1, second)
    assert counting.texts == ["We closed four deals worth $620K."]
    assert grown.to_dict() == fresh.score(1, second).to_dict()
    counting.texts.clear()
    scorer.score(1, second)  # submitted as it stands: no model call at all
    assert counting.texts == []
    assert not _files_containing(store.path.parent, ["Zyqorblat", "Quennimara"])
