"""A moderator reads an exchange only while it is disputed or reported, and every read is
logged; they never write in it and never see revealed contact details.

Bob pledged to alice's need and alice accepted; mo is a moderator, charlie an outsider.
"""

from typing import Any

import pytest
from django.test import Client

from huzhu.accounts.models import User
from huzhu.conftest import Api
from huzhu.exchanges.disputes import open_dispute
from huzhu.exchanges.models import Exchange, RelayAccess
from huzhu.exchanges.queries import access_exchange_to_read
from huzhu.exchanges.relay import post_message, reveal_contact
from huzhu.exchanges.tests.conftest import reload
from huzhu.safety.models import Report
from huzhu.safety.reports import file_report
from huzhu.web.tests.helpers import inline_code

PHONE = "13812345678"
READS = ("/api/v1/exchanges/{id}", "/api/v1/exchanges/{id}/messages")


def read(api: Api, user: User, exchange: Exchange, template: str) -> Any:
    return api.as_user(user).get(template.format(id=exchange.pk))


def report(reporter: User, target_type: str, target_id: int) -> Report:
    return file_report(
        reporter=reporter, target_type=target_type, target_id=target_id, reason="fraud"
    )


@pytest.mark.parametrize("template", READS)
def test_a_moderator_may_not_read_a_quiet_exchange(
    api: Api, accepted: Exchange, mo: User, template: str
) -> None:
    assert read(api, mo, accepted, template).status_code == 404
    assert not RelayAccess.objects.exists()


@pytest.mark.parametrize("template", READS)
def test_a_dispute_opens_the_exchange_to_moderators_one_log_row_per_read(
    api: Api, accepted: Exchange, bob: User, mo: User, template: str
) -> None:
    open_dispute(exchange=reload(accepted), actor=bob, reason="No show.")
    for count in (1, 2):
        assert read(api, mo, accepted, template).status_code == 200
        assert RelayAccess.objects.count() == count
    log = RelayAccess.objects.order_by("id").last()
    assert log is not None
    assert (log.exchange_id, log.moderator_id, log.reason) == (accepted.pk, mo.pk, "disputed")


def test_participants_reads_are_not_logged(
    api: Api, accepted: Exchange, alice: User, bob: User
) -> None:
    open_dispute(exchange=reload(accepted), actor=bob, reason="No show.")
    for user in (alice, bob):
        assert read(api, user, accepted, READS[0]).status_code == 200
    assert not RelayAccess.objects.exists()


@pytest.mark.parametrize("target", ["post", "message"])
def test_a_report_opens_the_exchange_to_moderators(
    api: Api, accepted: Exchange, bob: User, mo: User, target: str
) -> None:
    message = post_message(exchange=reload(accepted), author=bob, body="Come alone, after dark.")
    target_id = accepted.post_id if target == "post" else message.pk
    # Bob reports alice's post; alice reports bob's message.
    reporter = bob if target == "post" else reload(accepted).receiver
    report(reporter, target, target_id)
    r = read(api, mo, accepted, READS[1])
    assert r.status_code == 200, r.content
    assert [m["body"] for m in r.json()["items"]] == ["I have some.", "Come alone, after dark."]
    assert RelayAccess.objects.get().reason == "reported"


def test_a_dismissed_report_no_longer_opens_it(
    api: Api, accepted: Exchange, charlie: User, mo: User
) -> None:
    filed = report(charlie, "post", accepted.post_id)
    Report.objects.filter(pk=filed.pk).update(status=Report.Status.DISMISSED)
    assert read(api, mo, accepted, READS[0]).status_code == 404
    assert not RelayAccess.objects.exists()


def test_the_access_ends_with_the_dispute(
    api: Api, accepted: Exchange, bob: User, mo: User
) -> None:
    open_dispute(exchange=reload(accepted), actor=bob, reason="No show.")
    path = f"/api/v1/exchanges/{accepted.pk}/settle"
    assert api.as_user(mo).post(path, {"outcome": "cancelled", "reason": "ok"}).status_code == 200
    assert read(api, mo, accepted, READS[0]).status_code == 404
    assert RelayAccess.objects.count() == 0  # settling is not a read of the thread


def test_outsiders_stay_out_of_a_disputed_exchange(
    api: Api, accepted: Exchange, bob: User, charlie: User
) -> None:
    open_dispute(exchange=reload(accepted), actor=bob, reason="No show.")
    for template in READS:
        assert read(api, charlie, accepted, template).status_code == 404
    assert not RelayAccess.objects.exists()


def test_a_moderator_sees_both_people_masked_text_and_no_contact(
    api: Api, accepted: Exchange, alice: User, bob: User, mo: User
) -> None:
    exchange = reload(accepted)
    post_message(exchange=exchange, author=bob, body=f"Call me on {PHONE}")
    reveal_contact(exchange=exchange, actor=bob)
    reveal_contact(exchange=reload(accepted), actor=alice)
    open_dispute(exchange=reload(accepted), actor=alice, reason=f"He says {PHONE} but no answer")
    assert PHONE in api.as_user(alice).get(f"/api/v1/exchanges/{accepted.pk}/messages").text
    r = read(api, mo, accepted, READS[0])
    body = r.json()
    assert (body["role"], body["other"], body["consent"], body["contact"]) == (
        "moderator",
        None,
        None,
        None,
    )
    assert body["parties"]["giver"]["display_name"] == "Bob"
    assert body["parties"]["receiver"]["display_name"] == "Alice"
    assert body["actions"] == ["settle"]
    assert PHONE not in r.text
    thread = read(api, mo, accepted, READS[1])
    assert PHONE not in thread.text
    assert thread.json()["read_only"] is True
    assert [m["author"] for m in thread.json()["items"]] == ["giver", "giver"]


def test_a_moderator_cannot_write_in_the_thread(
    api: Api, accepted: Exchange, bob: User, mo: User
) -> None:
    open_dispute(exchange=reload(accepted), actor=bob, reason="No show.")
    r = api.as_user(mo).post(f"/api/v1/exchanges/{accepted.pk}/messages", {"body": "Hello"})
    assert r.status_code == 404
    assert accepted.messages.count() == 1  # bob's opening message only
    client = Client()
    client.force_login(mo)
    r = client.post(f"/exchanges/{accepted.pk}/messages", {"body": "Hello"})
    assert r.status_code == 404
    assert accepted.messages.count() == 1


def test_the_moderator_page_is_read_only_and_logged(
    client: Client, accepted: Exchange, bob: User, mo: User
) -> None:
    client.force_login(mo)
    assert client.get(f"/exchanges/{accepted.pk}").status_code == 404
    open_dispute(exchange=reload(accepted), actor=bob, reason="No show.")
    r = client.get(f"/exchanges/{accepted.pk}")
    assert r.status_code == 200
    html = r.content.decode()
    assert inline_code(html) == []
    assert "as a moderator" in html
    assert "No show." in html
    assert '<form method="post" action="/exchanges/' not in html
    assert "hx-get" not in html  # nothing to poll: a moderator does not join the thread
    assert RelayAccess.objects.count() == 1


def test_reading_writes_nothing_the_page_and_the_endpoints_log_the_read(
    accepted: Exchange, bob: User, mo: User
) -> None:
    """The query only decides; the log row is written by `disputes.record_read`."""
    open_dispute(exchange=reload(accepted), actor=bob, reason="No show.")
    read_access = access_exchange_to_read(mo, accepted.pk)
    assert (read_access.exchange.pk, read_access.relay_reason) == (accepted.pk, "disputed")
    assert not RelayAccess.objects.exists()
