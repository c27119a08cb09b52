"""A small statistical model for the uncertain middle of gift-only: character n-grams and
logistic regression, trained on the labelled corpus by `huzhu safeguards-train`.

Keyword rules (gift_words.py) refuse what is certain; slang moves faster than they do. A
post the rules let through but this model scores at or above HUZHU_SALE_MODEL_HOLD is
held for a moderator (held reason `sale_model`), never refused, and the moderation console
shows the score and the n-grams that drove it.

The model ships as a small JSON file (`data/sale_model.json`: the n-grams with non-zero
weight, the intercept) and is scored here in pure Python, so the server needs no
scikit-learn: binary character n-gram features of the normalised text, exactly as
scikit-learn's `CountVectorizer(analyzer="char", binary=True)` builds them, a dot product
and a logistic function. A post costs a few hundred n-gram look-ups.
"""

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

from huzhu.posts.catalogue import read_catalogue_file
from huzhu.text.normalise import plain
from huzhu.text.prescriptions import data_names

MODEL_FILE = Path(__file__).parent / "data" / "sale_model.json"
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Score:
    probability: float  # that the text sells, buys or trades
    words: list[str]  # the n-grams that pushed the score up most, strongest first


@lru_cache(maxsize=1)
def _item_names() -> re.Pattern[str]:
    """Every catalogue and prescription name: the model judges how a post talks, not what it
    is about (the corpus's sellers named 布洛芬 more often than its honest posts did)."""
    items = read_catalogue_file()["items"]
    names = {n for item in items for n in (item["name_en"], item["name_zh"], *item["aliases"])}
    keys = sorted({plain(name) for name in (*names, *data_names())} - {""}, key=len, reverse=True)
    return re.compile("|".join(re.escape(key) for key in keys if len(key) > 1))


def prepare(text: str) -> str:
    """What the model reads: the normalised text without item names, whitespace as one space."""
    return _SPACES.sub(" ", _item_names().sub(" ", plain(text))).strip()


def ngrams(text: str, low: int, high: int) -> set[str]:
    """The character n-grams scikit-learn's char analyzer takes from `prepare(text)`."""
    folded = prepare(text)
    return {
        folded[start : start + size]
        for size in range(low, high + 1)
        for start in range(len(folded) - size + 1)
    }


@lru_cache(maxsize=1)
def _model() -> dict[str, Any]:
    path = Path(settings.HUZHU_SALE_MODEL_FILE or MODEL_FILE)
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def score(text: str) -> Score:
    model = _model()
    weights: dict[str, float] = model["weights"]
    low, high = model["ngram_range"]
    found = [(gram, weights[gram]) for gram in ngrams(text, low, high) if gram in weights]
    logit = model["intercept"] + sum(weight for _, weight in found)
    probability = 1 / (1 + math.exp(-max(min(logit, 50), -50)))
    pushing = sorted((item for item in found if item[1] > 0), key=lambda item: -item[1])
    shown = list(dict.fromkeys(gram.replace(" ", "␣") for gram, _ in pushing))  # spaces seen
    return Score(round(probability, 3), shown[:8])


def uncertain_sale(title: str, body: str) -> Score | None:
    """The model's score if it is high enough to hold a post the rules let through."""
    threshold = settings.HUZHU_SALE_MODEL_HOLD
    if threshold <= 0:
        return None
    found = score(f"{title}\n{body}")
    return found if found.probability >= threshold else None
