"""The coordinate scan (huzhu/tests/coordinate_scan.py) can fail, and does not cry wolf."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from huzhu.accounts.models import User
from huzhu.conftest import Api, draft
from huzhu.exchanges.alerts import AlertDraft, create_alert
from huzhu.posts.services import create_post
from huzhu.tests.coordinate_scan import CoordinateLeak, CoordinateScanMiddleware, find_leaks

# Not the deployment's default centre, and with more decimals than anyone would type.
POINT = (39.9321234, 116.3870456)


def leaking(text: str, user: User | AnonymousUser, query: str = "") -> HttpResponse:
    request = RequestFactory().get("/somewhere?" + query)
    request.user = user

    def view(_: HttpRequest) -> HttpResponse:
        return HttpResponse(text, content_type="text/html; charset=utf-8")

    return CoordinateScanMiddleware(view)(request)  # type: ignore[no-any-return]


@pytest.fixture
def alices_point(alice: User) -> None:
    create_post(owner=alice, draft=draft(lat=POINT[0], lng=POINT[1]))


@pytest.mark.parametrize(
    "shown",
    [
        "39.9321234, 116.3870456",  # as stored
        '{"lat": 39.932123, "lng": 116.387046}',  # rounded to 6
        "39.93212 / 116.38705",  # rounded to 5
        "39.9321 116.3870",  # truncated to 4
    ],
)
def test_a_page_showing_someone_elses_point_fails(
    alices_point: None, bob: User, shown: str
) -> None:
    with pytest.raises(CoordinateLeak, match=r"post \d+ at \(39.9321234, 116.3870456\)"):
        leaking(f"<p>{shown}</p>", bob)
    with pytest.raises(CoordinateLeak):
        leaking(f"<p>{shown}</p>", AnonymousUser())


def test_an_alert_centre_counts_too(alice: User, bob: User) -> None:
    create_alert(
        owner=alice,
        draft=AlertDraft(kind="offer", item="ibuprofen", lat=POINT[0], lng=POINT[1], radius_km=3),
    )
    with pytest.raises(CoordinateLeak, match="alert"):
        leaking("39.932123,116.387046", bob)


def test_what_is_not_a_leak(alices_point: None, alice: User, bob: User) -> None:
    assert leaking("39.9321234, 116.3870456", alice).status_code == 200  # her own
    assert leaking("39.93, 116.39", bob).status_code == 200  # too coarse to be exact
    assert leaking("39.9321234 alone", bob).status_code == 200  # half a point
    echoed = "lat=39.9321234&lng=116.3870456"
    assert leaking("39.9321234, 116.3870456", bob, echoed).status_code == 200  # their own search


def test_the_real_pages_pass_for_a_post_at_the_default_centre(
    alice: User, bob: User, api: Api
) -> None:
    post = create_post(owner=alice, draft=draft())  # BEIJING, the default centre
    assert api.as_user(bob).get(f"/api/v1/posts/{post.pk}").status_code == 200
    assert find_leaks(b"39.9042 116.4074", viewer_id=bob.pk, echoed=set())
    assert not find_leaks(b"39.9042 116.4074", viewer_id=alice.pk, echoed=set())


def test_a_viewers_own_point_at_the_same_place_as_anothers_is_theirs_to_see(
    alices_point: None, bob: User, charlie: User
) -> None:
    """Bob posted from exactly where alice did: his export may show his point."""
    create_post(owner=bob, draft=draft(lat=POINT[0], lng=POINT[1], title="Need a thermometer"))
    assert leaking("39.9321234, 116.3870456", bob).status_code == 200
    with pytest.raises(CoordinateLeak):
        leaking("39.9321234, 116.3870456", charlie)  # but nobody else may see it
