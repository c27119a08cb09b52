"""Reporters hear the outcome of their report in their inbox (and by e-mail when verified);
nobody else does, and the text names neither the target nor the moderator."""

import pytest
from django.test import Client, TestCase

from huzhu.accounts.models import OutboxMessage, User
from huzhu.conftest import Api
from huzhu.posts.models import Post
from huzhu.safety.tests.helpers import moderator, report_post
from huzhu.trust.tests.helpers import mark_email_verified

ZH = {"Accept-Language": "zh-hans"}


def _inbox(user: User) -> list[dict[str, str]]:
    answer = Api().as_user(user).get("/api/v1/notifications", headers=ZH)
    assert answer.status_code == 200
    return [item for item in answer.json()["items"] if item["kind"].startswith("report_")]


OUTCOMES = [
    ("dismiss", "report_noact", "谢谢你。管理员看过了你的举报，决定不采取措施。"),
    ("uphold", "report_acted", "谢谢你。管理员认可了你的举报，并已采取措施。"),
]


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_the_reporter_hears_the_outcome_in_the_inbox(
    alices_need: Post, bob: User, charlie: User, outcome: tuple[str, str, str]
) -> None:
    action, kind, text = outcome
    mark_email_verified(charlie, "charlie@example.org")
    report_post(charlie, alices_need.pk)
    client = Client()
    client.force_login(moderator())
    body = {"reason": "looked at it", "rule": "gift_only"}
    with TestCase.captureOnCommitCallbacks(execute=True):
        answer = client.post(f"/moderation/post/{alices_need.pk}/{action}", body)
    assert answer.status_code == 302
    [entry] = _inbox(charlie)
    assert (entry["kind"], entry["text"]) == (kind, text)
    assert _inbox(alices_need.owner) == [] and _inbox(bob) == []
    # The e-mail to a verified address still goes out, once.
    assert OutboxMessage.objects.filter(to="charlie@example.org").count() == 1


def test_no_decision_no_notification(alices_need: Post, charlie: User) -> None:
    report_post(charlie, alices_need.pk)
    assert _inbox(charlie) == []
