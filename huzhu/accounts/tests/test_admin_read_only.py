"""The Django admin cannot change or delete what the services audit: posts, people and
reports are read-only there, even for a superuser (their rows are left as they were)."""

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from huzhu.accounts.models import User
from huzhu.conftest import make_user
from huzhu.posts.models import Post
from huzhu.safety.models import Report
from huzhu.safety.reports import file_report


@pytest.fixture
def operator(db: None) -> Client:
    user = make_user("opal")
    User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(User.objects.get(pk=user.pk))
    return client


@pytest.fixture
def report(alices_need: Post, bob: User) -> Report:
    file_report(reporter=bob, target_type="post", target_id=alices_need.pk, reason="spam")
    return Report.objects.get()


def test_a_superuser_cannot_delete_a_post(operator: Client, alices_need: Post) -> None:
    url = f"/admin/posts/post/{alices_need.pk}/delete/"
    assert operator.get(url).status_code == 403
    assert operator.post(url, {"post": "yes"}).status_code == 403
    assert Post.objects.filter(pk=alices_need.pk).exists()


def test_a_superuser_cannot_change_a_post(operator: Client, alices_need: Post) -> None:
    url = f"/admin/posts/post/{alices_need.pk}/change/"
    assert operator.get(url).status_code == 200  # still readable
    answer = operator.post(url, {"title": "Changed", "status": "withdrawn"})
    assert answer.status_code == 403
    alices_need.refresh_from_db()
    assert (alices_need.title, alices_need.status) != ("Changed", "withdrawn")
    assert alices_need.status == Post.Status.OPEN


def test_the_bulk_delete_action_is_gone(operator: Client, alices_need: Post, alice: User) -> None:
    for url, pk in (("/admin/posts/post/", alices_need.pk), ("/admin/accounts/user/", alice.pk)):
        operator.post(url, {"action": "delete_selected", "_selected_action": [pk], "post": "yes"})
    assert Post.objects.filter(pk=alices_need.pk).exists()
    assert User.objects.filter(pk=alice.pk).exists()


def test_a_superuser_cannot_change_or_delete_a_person(operator: Client, alice: User) -> None:
    base = f"/admin/accounts/user/{alice.pk}"
    assert operator.post(f"{base}/delete/", {"post": "yes"}).status_code == 403
    change: dict[str, Any] = {"username": "alice", "is_staff": "on", "is_superuser": "on"}
    assert operator.post(f"{base}/change/", change).status_code == 403
    password = {"password1": "a new pass 123", "password2": "a new pass 123"}
    assert operator.post(f"{base}/password/", password).status_code == 403
    assert operator.post("/admin/accounts/user/add/", {"username": "x"}).status_code == 403
    alice.refresh_from_db()
    assert not alice.is_staff and not alice.is_superuser
    assert alice.check_password("a new pass 123") is False


def test_a_superuser_cannot_decide_or_delete_a_report(operator: Client, report: Report) -> None:
    base = f"/admin/safety/report/{report.pk}"
    assert operator.post(f"{base}/delete/", {"post": "yes"}).status_code == 403
    assert operator.post(f"{base}/change/", {"status": "dismissed"}).status_code == 403
    assert Report.objects.get(pk=report.pk).status == Report.Status.OPEN


def test_staff_status_changes_with_the_command(alice: User) -> None:
    call_command("staff", "alice", "--grant")
    assert User.objects.get(pk=alice.pk).is_staff
    call_command("staff", "alice", "--revoke")
    assert not User.objects.get(pk=alice.pk).is_staff
