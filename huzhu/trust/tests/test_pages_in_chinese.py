"""The document, vouching and organisation pages in Simplified Chinese, filled in."""

from django.test import Client
from django.urls import reverse

from huzhu.accounts.models import User
from huzhu.conftest import Api
from huzhu.trust.levels import Level
from huzhu.trust.tests.helpers import make_moderator, set_level, submit_document

ZH = {"Accept-Language": "zh-Hans"}


def test_the_new_trust_pages_speak_chinese(api: Api, alice: User, bob: User) -> None:
    verification_id = submit_document(api.as_user(alice))
    set_level(bob, Level.TRUSTED)
    member = Client()
    member.force_login(bob)
    assert member.post(reverse("vouches"), {"username": "alice"}, headers=ZH).status_code == 302
    staff = Client()
    staff.force_login(make_moderator())
    registered = {
        "username": "bob",
        "kind": "residents_committee",
        "name": "Hepingli",
        "registration_number": "R-1234",
    }
    assert staff.post(reverse("moderation_organisations"), registered).status_code == 302
    pages = [
        (member, reverse("verify_document"), "用身份证件验证"),
        (member, reverse("vouches"), "本周剩余担保次数：2 / 3。"),
        (member, reverse("trust"), "没有本地手机号？"),
        (staff, reverse("moderation_documents"), f"审核 {verification_id} · 账号 alice"),
        (staff, reverse("moderation_organisations"), "Hepingli · 居委会"),
        (staff, reverse("moderation_queue"), "待审核的证件"),
    ]
    for client, path, text in pages:
        page = client.get(path, headers=ZH)
        assert page.status_code == 200, path
        assert text in page.content.decode(), (path, text)
