"""One definition of "moderator" (accounts/roles.py): losing staff status takes every
moderator right away at the next request, whatever trust level is still stored."""

import pytest
from django.test import Client
from django.utils import timezone

from huzhu.accounts.models import User
from huzhu.conftest import PASSWORD, Api
from huzhu.errors import Forbidden
from huzhu.exchanges.disputes import settle_dispute
from huzhu.exchanges.models import Exchange, RelayAccess
from huzhu.exchanges.tests.conftest import reload
from huzhu.trust.levels import Level
from huzhu.trust.models import TrustState
from huzhu.trust.queries import level_of
from huzhu.trust.services import recompute_level


@pytest.fixture
def disputed(api: Api, accepted: Exchange, bob: User) -> Exchange:
    path = f"/api/v1/exchanges/{accepted.pk}/dispute"
    assert api.as_user(bob).post(path, {"reason": "She never came."}).status_code == 200
    return reload(accepted)


def demote(user: User) -> None:
    """What an operator does: staff status off. The stored TL4 stays behind."""
    TrustState.objects.update_or_create(
        user=user, defaults={"level": Level.MODERATOR, "computed_at": timezone.now()}
    )
    User.objects.filter(pk=user.pk).update(is_staff=False)


def test_a_demoted_moderator_can_no_longer_read_the_thread_by_token(
    api: Api, disputed: Exchange, mo: User
) -> None:
    mods = api.as_user(mo)  # a token issued while mo was staff
    path = f"/api/v1/exchanges/{disputed.pk}/messages"
    assert mods.get(path).status_code == 200
    demote(mo)
    assert mods.get(path).status_code == 404
    assert mods.get(f"/api/v1/exchanges/{disputed.pk}").status_code == 404
    assert RelayAccess.objects.filter(moderator=mo).count() == 1  # only the read while staff


def test_a_demoted_moderator_can_no_longer_settle_by_token(
    api: Api, disputed: Exchange, mo: User
) -> None:
    mods = api.as_user(mo)
    demote(mo)
    body = {"outcome": "cancelled", "reason": "Checked"}
    assert mods.post(f"/api/v1/exchanges/{disputed.pk}/settle", body).status_code == 404
    assert reload(disputed).status == Exchange.Status.DISPUTED


def test_a_demoted_moderators_session_loses_the_thread_and_the_console(
    disputed: Exchange, mo: User
) -> None:
    client = Client()
    assert client.login(username="mo", password=PASSWORD)
    assert client.get(f"/exchanges/{disputed.pk}").status_code == 200
    assert client.get("/moderation").status_code == 200
    demote(mo)
    assert client.get(f"/exchanges/{disputed.pk}").status_code == 404
    assert client.get("/moderation").status_code == 404


def test_the_settling_service_refuses_a_former_moderator(disputed: Exchange, mo: User) -> None:
    demote(mo)
    with pytest.raises(Forbidden):
        settle_dispute(
            exchange=disputed, moderator=User.objects.get(pk=mo.pk), outcome="completed", reason="x"
        )


def test_tl4_goes_with_staff_status_without_a_grace_period(mo: User) -> None:
    assert recompute_level(user=mo).level == Level.MODERATOR
    demote(mo)
    mo = User.objects.get(pk=mo.pk)
    assert level_of(mo) == Level.TRUSTED  # at once, before any recomputation
    state = recompute_level(user=mo)
    assert state.level < Level.MODERATOR
    assert state.demote_at is None
