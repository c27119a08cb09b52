"""The sale model for the uncertain middle: scored in pure Python exactly as scikit-learn
builds its features, holding (never refusing) what the rules let through, explained in the
console, retrained by `huzhu safeguards-train`."""

import json
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from huzhu.accounts.models import User
from huzhu.conftest import draft
from huzhu.posts.services import create_post
from huzhu.safety import sale_model
from huzhu.safety.tests.helpers import moderator
from huzhu.text.rules import gift_only

UNCERTAIN = [  # no rule refuses these, yet they read like selling
    ("布洛芬", "懂的来，价格看着给"),
    ("抗原", "看着给就行，有意者来"),
]
HONEST = [
    ("布洛芬", "全新未拆"),
    ("口罩", ""),
    ("求布洛芬", "孩子发烧39度，求一盒布洛芬"),
    ("Need ibuprofen for my father", "He has a fever since yesterday."),
    ("多余的口罩", "免费送，不要钱，自取"),
]


@pytest.fixture
def checks(settings: Any) -> None:
    settings.HUZHU_POSTING_CHECKS = True
    settings.HUZHU_TL0_OPEN_NEEDS = settings.HUZHU_TL0_OPEN_OFFERS = 100


def _veteran(user: User) -> User:
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=30))
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize("text", ["布洛芬 20元一盒", "Name your price!", "w x：lily  2024\n好"])
def test_features_are_scikit_learns(text: str) -> None:
    from sklearn.feature_extraction.text import CountVectorizer  # type: ignore[import-untyped]

    analyzer = CountVectorizer(
        analyzer="char", ngram_range=(1, 3), lowercase=False, preprocessor=sale_model.prepare
    ).build_analyzer()
    assert sale_model.ngrams(text, 1, 3) == set(analyzer(text))


@pytest.mark.parametrize(("title", "body"), UNCERTAIN)
def test_uncertain_selling_is_held_not_refused(
    checks: None, alice: User, title: str, body: str
) -> None:
    assert gift_only(f"{title}\n{body}") is None  # the rules let it through
    post = create_post(
        owner=_veteran(alice),
        draft=draft(kind="offer", title=title, body=body, category="other", item=None),
    )
    assert post.held_reason == "sale_model"
    assert post.hidden_at is not None


@pytest.mark.parametrize(("title", "body"), HONEST)
def test_honest_posts_are_not_held(checks: None, alice: User, title: str, body: str) -> None:
    assert sale_model.score(f"{title}\n{body}").probability <= 0.5
    post = create_post(
        owner=_veteran(alice), draft=draft(title=title, body=body, category="other", item=None)
    )
    assert post.held_reason == ""


def test_a_zero_threshold_turns_the_model_off(checks: None, alice: User, settings: Any) -> None:
    settings.HUZHU_SALE_MODEL_HOLD = 0
    title, body = UNCERTAIN[0]
    post = create_post(
        owner=_veteran(alice),
        draft=draft(kind="offer", title=title, body=body, category="other", item=None),
    )
    assert post.held_reason == ""


def test_the_console_shows_the_score_and_the_words(checks: None, alice: User) -> None:
    title, body = UNCERTAIN[1]
    post = create_post(
        owner=_veteran(alice),
        draft=draft(kind="offer", title=title, body=body, category="other", item=None),
    )
    client = Client()
    client.force_login(moderator())
    page = client.get(f"/moderation/post/{post.pk}").content.decode()
    score = sale_model.score(f"{title}\n{body}")
    assert f"score {score.probability:.2f}" in page
    assert f"<code>{score.words[0]}</code>" in page
    assert "sale_model" in page


def test_retraining_writes_a_model_the_server_scores(tmp_path: Path, settings: Any) -> None:
    out = tmp_path / "model.json"
    printed = StringIO()
    call_command("safeguards-train", "--out", str(out), stdout=printed)
    assert "n-grams from" in printed.getvalue()
    model = json.loads(out.read_text(encoding="utf-8"))
    assert 0 < len(model["weights"]) <= 3000
    assert model["trained_on"]["positives"] > 100
    settings.HUZHU_SALE_MODEL_FILE = str(out)
    sale_model._model.cache_clear()
    try:
        assert sale_model.score("请我喝杯奶茶就行").probability > 0.5
        assert sale_model.score("孩子发烧39度，求一盒布洛芬").probability < 0.5
    finally:
        sale_model._model.cache_clear()
