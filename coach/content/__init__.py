"""The content pack: questions and rubrics loaded from YAML and validated once."""

from coach.content.loader import ContentPack, load_pack
from coach.content.models import ALL_IDS, CRITERION_IDS, MISTAKE_IDS, STAR_PARTS, Question, Rubric
from coach.content.schema import did_you_mean
from coach.content.yaml_lines import ContentError

__all__ = [
    "ALL_IDS",
    "CRITERION_IDS",
    "MISTAKE_IDS",
    "STAR_PARTS",
    "ContentError",
    "ContentPack",
    "Question",
    "Rubric",
    "did_you_mean",
    "load_pack",
]
