"""Saved alerts: the API and page, every "no", and the fan-out to the people they name."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django_tasks_db.models import DBTaskResult

from huzhu.accounts.models import OutboxMessage, User
from huzhu.conftest import BEIJING, Api, draft, make_user
from huzhu.exchanges.alerts import AlertDraft, create_alert, notify_matching_alerts
from huzhu.exchanges.models import Alert, Notification
from huzhu.exchanges.notifications import send_due_email
from huzhu.exchanges.tests.conftest import make_offer
from huzhu.posts.models import Post
from huzhu.posts.services import create_post, set_status_by_owner
from huzhu.web.tests.helpers import inline_code

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
KM_PER_DEGREE_LAT = 111.2
XSS = "<script>alert(1)</script>"


def north(km: float) -> tuple[float, float]:
    return BEIJING[0] + km / KM_PER_DEGREE_LAT, BEIJING[1]


def alert_for(user: User, *, km: float = 3, at_km: float = 0, **overrides: Any) -> Alert:
    lat, lng = north(at_km)
    values: dict[str, Any] = {"kind": "need", "item": "ibuprofen", "lat": lat, "lng": lng}
    values.update(overrides)
    return create_alert(owner=user, draft=AlertDraft(radius_km=km, **values))


def need_at(owner: User, km: float = 0, **overrides: Any) -> Post:
    lat, lng = north(km)
    return create_post(owner=owner, draft=draft(lat=lat, lng=lng, **overrides))


def alerted(user: User) -> list[int | None]:
    rows = Notification.objects.filter(user=user, kind="alert").order_by("id")
    return list(rows.values_list("post_id", flat=True))


BODY = {"kind": "need", "item": "ibuprofen", "lat": BEIJING[0], "lng": BEIJING[1], "radius_km": 3}


# --- API ----------------------------------------------------------------------------------


def test_it_saves_lists_and_deletes_alerts(api: Api, bob: User) -> None:
    client = api.as_user(bob)
    r = client.post("/api/v1/alerts", BODY)
    assert r.status_code == 201, r.content
    alert = r.json()
    assert (alert["kind"], alert["item"]["code"], alert["category"]) == (
        "need",
        "ibuprofen",
        "medicine",
    )
    assert alert["radius_km"] == 3
    # The centre shown is a coarse cell's, never the point itself.
    assert (alert["area"]["lat"], alert["area"]["lng"]) != BEIJING
    assert str(BEIJING[0]) not in r.content.decode()
    listed = client.get("/api/v1/alerts").json()
    assert [a["id"] for a in listed["items"]] == [alert["id"]]
    assert listed["limit"] == 10
    assert client.delete(f"/api/v1/alerts/{alert['id']}").status_code == 204
    assert client.get("/api/v1/alerts").json()["items"] == []
    assert client.delete(f"/api/v1/alerts/{alert['id']}").status_code == 404


def test_a_category_alert_needs_no_item(api: Api, bob: User) -> None:
    body = {**BODY, "item": None, "category": "test_kits", "kind": "offer"}
    r = api.as_user(bob).post("/api/v1/alerts", body)
    assert r.status_code == 201, r.content
    assert (r.json()["item"], r.json()["category"]) == (None, "test_kits")


def test_only_the_owner_sees_or_deletes_an_alert(api: Api, bob: User, charlie: User) -> None:
    alert = alert_for(bob)
    assert api.as_user(charlie).get("/api/v1/alerts").json()["items"] == []
    assert api.as_user(charlie).delete(f"/api/v1/alerts/{alert.pk}").status_code == 404
    assert api.delete(f"/api/v1/alerts/{alert.pk}").status_code == 401
    assert api.get("/api/v1/alerts").status_code == 401
    assert api.post("/api/v1/alerts", BODY).status_code == 401
    assert Alert.objects.filter(pk=alert.pk).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"radius_km": 0.5}, "radius_km"),
        ({"radius_km": 51}, "radius_km"),
        ({"lat": 91}, "lat"),
        ({"kind": "gift"}, "kind"),
        ({"item": "no-such-thing"}, "item"),
        ({"item": None}, "category"),
        ({"item": None, "category": "nope"}, "category"),
        ({"item": "ibuprofen", "category": "food"}, "category"),
    ],
)
def test_bad_alerts_are_422_naming_the_field(
    api: Api, bob: User, change: dict[str, Any], field: str
) -> None:
    r = api.as_user(bob).post("/api/v1/alerts", {**BODY, **change})
    assert r.status_code == 422, r.content
    assert r.json()["errors"][0]["field"] == field
    assert Alert.objects.count() == 0


def test_the_number_of_alerts_is_capped(api: Api, bob: User, settings: Any) -> None:
    settings.HUZHU_ALERTS_PER_USER = 2
    client = api.as_user(bob)
    assert [client.post("/api/v1/alerts", BODY).status_code for _ in range(2)] == [201, 201]
    r = client.post("/api/v1/alerts", BODY)
    assert r.status_code == 409
    assert r.json()["code"] == "alert_limit"
    assert "at most 2 alerts" in r.json()["detail"]
    assert Alert.objects.filter(user=bob).count() == 2
    # Others have their own allowance.
    assert api.as_user(make_user("dora")).post("/api/v1/alerts", BODY).status_code == 201


# --- Fan-out ------------------------------------------------------------------------------


def test_a_new_post_enqueues_the_fan_out_on_commit(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post = need_at(alice)
    assert DBTaskResult.objects.count() == 0
    for callback in callbacks:
        callback()
    task = DBTaskResult.objects.get()
    assert task.task_path.endswith("fan_out_alerts")
    assert task.args_kwargs["args"] == [post.pk]


def test_it_tells_exactly_the_people_whose_alerts_match(alice: User, bob: User) -> None:
    near = bob
    far = make_user("far")  # 3 km alert, post 5 km away
    other_item = make_user("other_item")
    other_kind = make_user("other_kind")
    by_category = make_user("by_category")
    wide = make_user("wide")  # 20 km alert centred 10 km away
    alert_for(near, km=3)
    alert_for(near, km=5)  # two matching alerts: still one notification
    alert_for(far, km=3, at_km=5)
    alert_for(other_item, item="antigen-test")
    alert_for(other_kind, kind="offer")
    alert_for(by_category, item=None, category="medicine")
    alert_for(wide, km=20, at_km=10)
    alert_for(alice)  # the post's owner never hears of her own post
    post = need_at(alice, km=0.5)
    assert notify_matching_alerts(post_id=post.pk) == 3
    assert alerted(near) == [post.pk]
    assert alerted(by_category) == [post.pk]
    assert alerted(wide) == [post.pk]
    for nobody in (far, other_item, other_kind, alice):
        assert alerted(nobody) == []


def test_running_twice_tells_nobody_twice(alice: User, bob: User) -> None:
    alert_for(bob)
    post = need_at(alice)
    assert notify_matching_alerts(post_id=post.pk) == 1
    assert notify_matching_alerts(post_id=post.pk) == 0
    assert alerted(bob) == [post.pk]


def test_a_withdrawn_post_alerts_nobody(alice: User, bob: User) -> None:
    alert_for(bob)
    post = need_at(alice)
    set_status_by_owner(post=post, actor=alice, to_status="withdrawn")
    assert notify_matching_alerts(post_id=post.pk) == 0
    assert notify_matching_alerts(post_id=10**9) == 0


def test_each_person_gets_a_few_alerts_a_day(alice: User, bob: User, settings: Any) -> None:
    settings.HUZHU_TL0_OPEN_NEEDS = 100  # many open posts per person; trust/ tests the quotas
    settings.HUZHU_ALERT_NOTIFICATIONS_PER_DAY = 3
    alert_for(bob)
    with time_machine.travel(T0, tick=False):
        posts = [need_at(alice) for _ in range(5)]
        told = [notify_matching_alerts(post_id=post.pk) for post in posts]
    assert told == [1, 1, 1, 0, 0]
    assert alerted(bob) == [post.pk for post in posts[:3]]
    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        later = need_at(alice)
        assert notify_matching_alerts(post_id=later.pk) == 1
    # The cap is per person: someone else still hears of the first day's posts.
    charlie = make_user("charlie")
    alert_for(charlie)
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        assert notify_matching_alerts(post_id=posts[4].pk) == 1


def test_alerts_say_what_was_found_without_contact_or_place(
    api: Api, alice: User, bob: User, django_capture_on_commit_callbacks: Any
) -> None:
    User.objects.filter(pk=bob.pk).update(email="bob@example.org", locale="en")
    alert_for(bob)
    post = need_at(alice, title=f"Ibuprofen {XSS} call 13812345678")
    with django_capture_on_commit_callbacks(execute=True):
        notify_matching_alerts(post_id=post.pk)
    [entry] = api.as_user(bob).get("/api/v1/notifications").json()["items"]
    assert entry["kind"] == "alert"
    assert entry["post_id"] == post.pk
    assert entry["text"] == (
        f"Someone nearby needs what your alert is about: “Ibuprofen {XSS} call [contact hidden]”."
    )
    with django_capture_on_commit_callbacks(execute=True):
        send_due_email(user_id=bob.pk)
    mail = OutboxMessage.objects.get(to="bob@example.org")
    assert "&lt;script&gt;" in mail.body
    assert f"/posts/{post.pk}" in mail.body
    for secret in (XSS, "13812345678", f"{post.lat:.4f}", f"{post.lng:.4f}", "alice"):
        assert secret not in mail.body


def test_offers_reach_offer_alerts(alice: User, bob: User) -> None:
    alert_for(bob, kind="offer")
    offer = make_offer(alice)
    assert notify_matching_alerts(post_id=offer.pk) == 1
    [entry] = Notification.objects.filter(user=bob)
    assert entry.post_id == offer.pk


# --- The page -----------------------------------------------------------------------------


def test_the_page_saves_lists_and_deletes_alerts(client: Client, bob: User) -> None:
    client.force_login(bob)
    html = client.get("/me/alerts").content.decode()
    assert inline_code(html) == []
    assert 'action="/me/alerts"' in html
    assert 'href="/me/alerts"' in html  # in the navigation
    form = {"kind": "need", "item": "ibuprofen", "place": "chaoyang", "radius_km": "3"}
    r = client.post("/me/alerts", form)
    assert r.status_code == 302
    alert = Alert.objects.get(user=bob)
    assert alert.radius_km == 3
    html = client.get("/me/alerts").content.decode()
    assert "Need: Ibuprofen, within 3 km of Chaoyang" in html
    assert f'action="/me/alerts/{alert.pk}/delete"' in html
    assert client.post(f"/me/alerts/{alert.pk}/delete").status_code == 302
    assert not Alert.objects.exists()


def test_the_page_shows_errors_and_the_cap(client: Client, bob: User, settings: Any) -> None:
    client.force_login(bob)
    r = client.post("/me/alerts", {"kind": "need", "radius_km": "3", "place": "chaoyang"})
    assert r.status_code == 200
    assert "Choose an item or a category to hear about." in r.content.decode()
    settings.HUZHU_ALERTS_PER_USER = 1
    alert_for(bob)
    form = {"kind": "need", "item": "ibuprofen", "place": "chaoyang", "radius_km": "3"}
    r = client.post("/me/alerts", form)
    assert "You can keep at most 1 alert." in r.content.decode()
    assert Alert.objects.count() == 1


def test_nobody_deletes_anothers_alert_from_the_page(client: Client, bob: User) -> None:
    alert = alert_for(bob)
    client.force_login(make_user("mallory"))
    assert client.post(f"/me/alerts/{alert.pk}/delete").status_code == 404
    assert Alert.objects.filter(pk=alert.pk).exists()


def test_the_page_speaks_chinese(client: Client, bob: User) -> None:
    client.force_login(bob)
    html = client.get("/me/alerts", headers={"accept-language": "zh-hans"}).content.decode()
    assert "提醒" in html
