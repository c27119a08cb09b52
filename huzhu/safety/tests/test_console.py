"""The moderation console: staff only, every action with a reason, audited, reporters told."""

import pytest
from django.test import Client, TestCase

from huzhu.accounts.models import OutboxMessage, User
from huzhu.conftest import make_user
from huzhu.posts.models import Post
from huzhu.safety.models import AuditEntry, Report
from huzhu.safety.tests.helpers import at_level, moderator, report_post
from huzhu.trust.levels import Level
from huzhu.trust.tests.helpers import mark_email_verified

EN = {"Accept-Language": "en"}


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def reported(alices_need: Post, charlie: User) -> Post:
    report_post(charlie, alices_need.pk)
    return alices_need


def _console_requests(post: Post) -> list[tuple[str, str]]:
    base = f"/moderation/post/{post.pk}"
    return [
        ("get", "/moderation"),
        ("get", base),
        *[("post", f"{base}/{action}") for action in ("dismiss", "uphold", "restore", "warn")],
        ("post", f"{base}/suspend"),
        ("post", f"{base}/ban"),
        ("post", "/moderation/sanctions/1/lift"),
    ]


@pytest.mark.parametrize("who", ["anonymous", "owner", "reporter"])
def test_the_console_does_not_exist_for_anyone_but_staff(
    reported: Post, alice: User, charlie: User, who: str
) -> None:
    user = {"anonymous": None, "owner": alice, "reporter": charlie}[who]
    client = _client(user)
    for method, path in _console_requests(reported):
        body = {"reason": "looks fine", "rule": "fraud", "days": "3"}
        answer = client.get(path) if method == "get" else client.post(path, body)
        assert answer.status_code == 404, (method, path)
    assert not AuditEntry.objects.exists()
    assert Report.objects.get().status == "open"


def test_a_moderator_sees_the_queues_with_weights(reported: Post, bob: User) -> None:
    at_level(bob, Level.VERIFIED)
    report_post(bob, reported.pk)
    page = _client(moderator()).get("/moderation", headers=EN)
    assert page.status_code == 200
    assert b"2 reports" in page.content and b"weight 3.0" in page.content


@pytest.mark.parametrize("action", ["dismiss", "uphold", "restore", "warn", "suspend", "ban"])
def test_every_action_needs_a_reason(reported: Post, action: str) -> None:
    client = _client(moderator())
    path = f"/moderation/post/{reported.pk}/{action}"
    answer = client.post(path, {"reason": "  ", "rule": "fraud", "days": "3"}, headers=EN)
    assert answer.status_code == 422
    assert b"This field is required" in answer.content
    assert not AuditEntry.objects.exists()
    assert not reported.owner.sanctions.exists()


def test_dismissing_closes_the_reports_restores_the_post_and_tells_the_reporter(
    alices_need: Post, charlie: User
) -> None:
    at_level(charlie, Level.TRUSTED)  # hides alice's TL0 post at once
    mark_email_verified(charlie, "charlie@example.org")
    report_post(charlie, alices_need.pk)
    mo = moderator()
    with TestCase.captureOnCommitCallbacks(execute=True):
        answer = _client(mo).post(
            f"/moderation/post/{alices_need.pk}/dismiss", {"reason": "a fair request"}
        )
    assert answer.status_code == 302
    alices_need.refresh_from_db()
    assert alices_need.hidden_at is None and alices_need.rank is not None
    assert Report.objects.get().status == "dismissed"
    actions = list(AuditEntry.objects.order_by("id").values_list("action", "actor_id"))
    assert actions == [("hide", None), ("dismiss", mo.pk), ("restore", mo.pk)]
    mail = OutboxMessage.objects.get(to="charlie@example.org")
    assert mail.body == "谢谢你。管理员看过了你的举报，决定不采取措施。"  # in charlie's language
    # A second decision finds nothing open.
    again = _client(mo).post(f"/moderation/post/{alices_need.pk}/dismiss", {"reason": "again"})
    assert again.status_code == 409


def test_upholding_cites_a_rule_and_hides_the_post(reported: Post) -> None:
    client = _client(moderator())
    path = f"/moderation/post/{reported.pk}/uphold"
    no_rule = client.post(path, {"reason": "sold it"}, headers=EN)
    assert no_rule.status_code == 422 and b"Choose the rule" in no_rule.content
    assert client.post(path, {"reason": "sold it", "rule": "gift_only"}).status_code == 302
    reported.refresh_from_db()
    assert reported.hidden_at is not None
    assert Report.objects.get().status == "upheld"
    assert set(AuditEntry.objects.values_list("action", "rule")) == {
        ("uphold", "gift_only"),
        ("hide", "gift_only"),
    }
    restore = f"/moderation/post/{reported.pk}/restore"
    assert client.post(restore, {"reason": "fixed the text"}).status_code == 302
    assert client.post(restore, {"reason": "twice"}).status_code == 409
    reported.refresh_from_db()
    assert reported.hidden_at is None


def test_unknown_targets_and_actions_are_not_found(reported: Post) -> None:
    client = _client(moderator())
    assert client.get("/moderation/post/999999").status_code == 404
    assert client.get(f"/moderation/parcel/{reported.pk}").status_code == 404
    answer = client.post(f"/moderation/post/{reported.pk}/delete", {"reason": "x"})
    assert answer.status_code == 404


def test_a_person_can_be_moderated_directly_but_not_staff(alice: User, charlie: User) -> None:
    report = Report.objects.create(
        reporter=charlie,
        target_type="user",
        target_id=alice.pk,
        reason="harassment",
        weight=1,
        created_at=alice.date_joined,
    )
    client = _client(moderator())
    page = client.get(f"/moderation/user/{alice.pk}")
    assert page.status_code == 200 and b"Alice" in page.content
    warn = client.post(
        f"/moderation/user/{alice.pk}/warn", {"reason": "rude messages", "rule": "harassment"}
    )
    assert warn.status_code == 302
    assert alice.sanctions.get().kind == "warn"
    report.refresh_from_db()
    assert report.status == "open"  # a sanction does not decide the reports by itself
    staff = make_user("staffer")
    User.objects.filter(pk=staff.pk).update(is_staff=True)
    refused = client.post(
        f"/moderation/user/{staff.pk}/ban", {"reason": "x", "rule": "spam"}, headers=EN
    )
    assert refused.status_code == 403
