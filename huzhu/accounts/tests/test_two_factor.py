"""Two-factor log-in for staff: enrolment on /me/two-factor, then the code at every log-in
(web, admin, API token), and a deploy warning for staff without it. Codes are real TOTP
codes computed here from the device's secret."""

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.checks import run_checks
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from huzhu.accounts.models import User
from huzhu.conftest import PASSWORD, make_user


def code_for(device: TOTPDevice) -> str:
    device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return str(value).zfill(device.digits)


@pytest.fixture
def staff(db: None) -> User:
    user = make_user("opal")
    User.objects.filter(pk=user.pk).update(is_staff=True)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def enrolled(staff: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=staff, name="authenticator", confirmed=True)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_staff_enrol_with_the_secret_shown_and_a_real_code(staff: User) -> None:
    client = Client()
    client.force_login(staff)
    page = client.get("/me/two-factor").content.decode()
    uri = re.search(r'href="(otpauth://totp/[^"]+)"', page)
    assert uri is not None
    assert "issuer=Huzhu" in uri.group(1)
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    assert client.post("/me/two-factor", {"code": "000000"}).status_code == 200  # wrong
    assert not TOTPDevice.objects.filter(user=staff, confirmed=True).exists()
    assert client.post("/me/two-factor", {"code": code_for(device)}).status_code == 302
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).count() == 1
    assert "is on" in client.get("/me/two-factor").content.decode()


def test_members_have_no_enrolment_page(alice: User) -> None:
    client = Client()
    client.force_login(alice)
    assert client.get("/me/two-factor").status_code == 404


def test_web_log_in_asks_an_enrolled_staff_member_for_the_code(enrolled: TOTPDevice) -> None:
    client = Client()
    asked = client.post("/login", {"username": "opal", "password": PASSWORD})
    assert asked.status_code == 200
    assert 'name="code"' in asked.content.decode()  # the code field appears
    assert not logged_in(client)
    wrong = client.post("/login", {"username": "opal", "password": PASSWORD, "code": "123456"})
    assert wrong.status_code == 200
    assert not logged_in(client)
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=False):  # throttled 1 s
        right = {"username": "opal", "password": PASSWORD, "code": code_for(enrolled)}
        assert client.post("/login", right).status_code == 302
    assert logged_in(client)
    assert client.session[DEVICE_ID_SESSION_KEY] == enrolled.persistent_id


def test_a_code_works_once(enrolled: TOTPDevice) -> None:
    code = code_for(enrolled)
    form = {"username": "opal", "password": PASSWORD, "code": code}
    assert Client().post("/login", form).status_code == 302
    again = Client()
    assert again.post("/login", form).status_code == 200
    assert not logged_in(again)


def test_admin_log_in_asks_for_the_code_too(enrolled: TOTPDevice) -> None:
    client = Client()
    form: dict[str, Any] = {"username": "opal", "password": PASSWORD, "next": "/admin/"}
    refused = client.post("/admin/login/", form)
    assert refused.status_code == 200
    assert "authenticator app" in refused.content.decode()
    assert not logged_in(client)
    with_code = {**form, "otp_token": code_for(enrolled)}
    assert client.post("/admin/login/", with_code).status_code == 302
    assert logged_in(client)
    assert client.get("/admin/").status_code == 200


def test_the_api_token_asks_for_the_code_too(enrolled: TOTPDevice) -> None:
    client = Client()
    body: dict[str, Any] = {"username": "opal", "password": PASSWORD}
    refused = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert refused.status_code == 401
    assert refused.json()["code"] == "otp_required"
    body["otp"] = code_for(enrolled)
    right = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert right.status_code == 200


def test_without_a_device_the_password_is_enough(staff: User, alice: User) -> None:
    assert Client().post("/login", {"username": "opal", "password": PASSWORD}).status_code == 302
    assert Client().post("/login", {"username": "alice", "password": PASSWORD}).status_code == 302


def warnings() -> list[str]:
    return [m.msg for m in run_checks(include_deployment_checks=True) if m.id == "huzhu.W020"]


def test_check_deploy_warns_about_staff_without_a_confirmed_device(staff: User) -> None:
    make_user("alice")  # members are not asked
    assert len(warnings()) == 1
    assert str(staff.pk) in warnings()[0]
    device = TOTPDevice.objects.create(user=staff, name="authenticator", confirmed=False)
    assert len(warnings()) == 1  # set up but never confirmed: still a password alone
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
    assert warnings() == []


def test_a_wrong_code_makes_the_next_one_wait(enrolled: TOTPDevice) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        wrong = {"username": "opal", "password": PASSWORD, "code": "000000"}
        assert Client().post("/login", wrong).status_code == 200
    with time_machine.travel(start + timedelta(milliseconds=500), tick=False):
        form = {"username": "opal", "password": PASSWORD, "code": code_for(enrolled)}
        assert Client().post("/login", form).status_code == 200  # refused even when right
    with time_machine.travel(start + timedelta(seconds=2), tick=False):
        form = {"username": "opal", "password": PASSWORD, "code": code_for(enrolled)}
        assert Client().post("/login", form).status_code == 302
