"""Pages show times in the reader's zone (the browser's, else HUZHU_TIME_ZONE); the API
stays in UTC."""

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.utils import timezone

from huzhu.accounts.models import User
from huzhu.conftest import Api
from huzhu.posts.models import Post
from huzhu.web.templatetags.huzhu_web import stamp
from huzhu.web.timezones import COOKIE

pytestmark = pytest.mark.django_db
AT = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)  # 15:00 in Beijing


def test_a_post_page_shows_the_deployments_zone(
    client: Client, alices_need: Post, settings: object
) -> None:
    Post.objects.filter(pk=alices_need.pk).update(created_at=AT)
    page = client.get(f"/posts/{alices_need.pk}").content.decode()
    assert "2026-12-07 15:00 UTC+8" in page
    assert "07:00 UTC" not in page


def test_the_readers_own_zone_wins(client: Client, alices_need: Post) -> None:
    Post.objects.filter(pk=alices_need.pk).update(created_at=AT)
    client.cookies[COOKIE] = "Europe%2FLondon"
    assert "2026-12-07 07:00 UTC<" in client.get(f"/posts/{alices_need.pk}").content.decode()
    client.cookies[COOKIE] = "Asia/Kolkata"
    assert "2026-12-07 12:30 UTC+5:30" in client.get(f"/posts/{alices_need.pk}").content.decode()


@pytest.mark.parametrize("junk", ["../../etc/passwd", "Mars/Olympus", "x" * 300, ""])
def test_a_zone_we_do_not_know_falls_back_to_the_default(
    client: Client, alices_need: Post, junk: str
) -> None:
    Post.objects.filter(pk=alices_need.pk).update(created_at=AT)
    client.cookies[COOKIE] = junk
    assert "15:00 UTC+8" in client.get(f"/posts/{alices_need.pk}").content.decode()


def test_the_api_stays_in_utc(api: Api, alices_need: Post, alice: User) -> None:
    Post.objects.filter(pk=alices_need.pk).update(created_at=AT)
    api.client.cookies[COOKIE] = "Asia/Shanghai"
    body = api.get(f"/api/v1/posts/{alices_need.pk}").json()
    assert body["created_at"] in ("2026-12-07T07:00:00Z", "2026-12-07T07:00:00+00:00")


def test_stamp_outside_a_request_uses_the_active_zone() -> None:
    with timezone.override("UTC"):
        assert stamp(AT) == "2026-12-07 07:00 UTC"
    assert stamp(None) == ""
