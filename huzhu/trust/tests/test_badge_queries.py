"""Badges are read in one query, however many people, with or without a trust state or an
organisation."""

from typing import Any

from django.utils import timezone

from huzhu.accounts.models import User
from huzhu.trust.models import TrustState
from huzhu.trust.models_documents import Organisation
from huzhu.trust.queries import badge_for, badges_for


def test_badges_take_one_query(alice: User, bob: User, django_assert_num_queries: Any) -> None:
    TrustState.objects.create(
        user=alice, level=2, verified=True, completed_exchanges=4, computed_at=timezone.now()
    )
    Organisation.objects.create(
        user=alice,
        kind="pharmacy",
        name="Corner pharmacy",
        registration_hash="h",
        key_version=1,
        verified_at=timezone.now(),
    )
    with django_assert_num_queries(1):
        badges = badges_for([alice.pk, bob.pk, 987654])
    assert badges[alice.pk]["level"] == 2 and badges[alice.pk]["verified"]
    assert badges[alice.pk]["completed_exchanges"] == 4
    assert badges[alice.pk]["organisation"] == {
        "kind": "pharmacy",
        "kind_label": "Pharmacy",
        "name": "Corner pharmacy",
    }
    assert badges[bob.pk]["level"] == 0 and badges[bob.pk]["organisation"] is None
    assert badges[987654] == badges[bob.pk]  # nobody: the newcomer's badge, as before
    with django_assert_num_queries(1):
        assert badge_for(alice.pk) == badges[alice.pk]
