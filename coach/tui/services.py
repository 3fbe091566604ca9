"""What the screens need from the app, handed down at construction (attributes down)."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from coach.content import ContentPack, Question
from coach.tui.drafts import DraftStore
from coach.tui.engine import Engine
from coach.tui.history import History, SessionHistory
from coach.tui.practice import Practice
from coach.tui.stopwatch import Clock

if TYPE_CHECKING:  # the speech code loads with the answer screen, not before the first frame
    from coach.tui.voice import Voice


@dataclass
class Services:
    """What the app's screens share: the content, the model, drafts, history, the clock."""

    pack: ContentPack
    engine: Engine
    drafts: DraftStore
    history: History = field(default_factory=SessionHistory)
    clock: Clock = time.monotonic
    rng: random.Random = field(default_factory=random.Random)
    draft_delay: float = 0.5  # seconds from the first unsaved keystroke to the disk write
    live_delay: float = 0.6  # pause in typing before the live STAR checklist rescores
    # While the timer runs with no typing, the draft's time is saved this often, so a killed
    # terminal loses at most this much of the answer time.
    timer_save_interval: float = 5.0
    practice: Practice | None = None  # the practice store; None: grades kept for this run only
    _voice: Voice | None = field(default=None, init=False, repr=False)

    @property
    def voice(self) -> Voice:
        """The microphone (tests set a stand-in that plays audio through it); made when first
        asked for, so that the speech code is not imported before the first frame."""
        if self._voice is None:
            from coach.tui.voice import Voice

            self._voice = Voice()
        return self._voice

    @voice.setter
    def voice(self, voice: Voice) -> None:
        self._voice = voice

    def question(self, question_id: str) -> Question:
        return self.pack.find_question(question_id)

    def next_question(self, question_id: str) -> Question:
        ids = self.pack.question_ids()
        return self.pack.questions[(ids.index(question_id) + 1) % len(ids)]

    def draw_scenario(self, question: Question, current: str | None = None) -> str:
        """A scenario prompt for the question, different from `current` when there is a choice."""
        choices = [s for s in question.scenarios if s != current] or list(question.scenarios)
        return self.rng.choice(choices)
