"""Alibaba Cloud SMS (dysmsapi `SendSms`), the gateway a mainland deployment would use.

Its RPC API takes the parameters in the query string, signed with HMAC-SHA1 over the
sorted, percent-encoded parameters and the AccessKey secret followed by "&" (signature
version 1.0). SMS in mainland China go out only through an approved sign name and
template: HUZHU_ALIYUN_SMS_TEMPLATE must have one variable, named by
HUZHU_ALIYUN_SMS_TEMPLATE_PARAM (`content` unless set), which receives Huzhu's text.
"""

import base64
import hashlib
import hmac
import json
import secrets
import urllib.parse
import urllib.request
from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from huzhu.accounts.gateways.http import DeliveryError, call

# Answers that mean "not now" rather than "never" (flow control on Alibaba's side).
TRANSIENT_CODES = {"isv.BUSINESS_LIMIT_CONTROL", "Throttling.User", "ServiceUnavailable"}


def percent_encode(value: str) -> str:
    """RFC 3986 encoding as Alibaba's signature wants it (space is %20, ~ stays)."""
    return urllib.parse.quote(value, safe="~")


def sign(parameters: dict[str, str], secret: str, method: str = "GET") -> str:
    canonical = "&".join(
        f"{percent_encode(key)}={percent_encode(parameters[key])}" for key in sorted(parameters)
    )
    to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def phone_number(e164: str) -> str:
    """Mainland numbers as 11 digits; others with their country code and no plus."""
    return e164.removeprefix("+86") if e164.startswith("+86") else e164.removeprefix("+")


class AliyunSMSBackend:
    def __init__(self) -> None:
        self.key_id = settings.HUZHU_ALIYUN_SMS_ACCESS_KEY_ID
        self.secret = settings.HUZHU_ALIYUN_SMS_ACCESS_KEY_SECRET
        self.sign_name = settings.HUZHU_ALIYUN_SMS_SIGN_NAME
        self.template = settings.HUZHU_ALIYUN_SMS_TEMPLATE
        missing = [
            name
            for name, value in (
                ("HUZHU_ALIYUN_SMS_ACCESS_KEY_ID", self.key_id),
                ("HUZHU_ALIYUN_SMS_ACCESS_KEY_SECRET", self.secret),
                ("HUZHU_ALIYUN_SMS_SIGN_NAME", self.sign_name),
                ("HUZHU_ALIYUN_SMS_TEMPLATE", self.template),
            )
            if not value
        ]
        if missing:
            raise ImproperlyConfigured(f"Alibaba Cloud SMS needs {', '.join(missing)}")

    def parameters(self, to: str, body: str) -> dict[str, str]:
        parameters = {
            "AccessKeyId": self.key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": phone_number(to),
            "RegionId": settings.HUZHU_ALIYUN_SMS_REGION,
            "SignName": self.sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": secrets.token_hex(16),
            "SignatureVersion": "1.0",
            "TemplateCode": self.template,
            "TemplateParam": json.dumps(
                {settings.HUZHU_ALIYUN_SMS_TEMPLATE_PARAM: body}, ensure_ascii=False
            ),
            "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }
        return {**parameters, "Signature": sign(parameters, self.secret)}

    def send_sms(self, to: str, body: str) -> str:
        query = urllib.parse.urlencode(self.parameters(to, body), quote_via=urllib.parse.quote)
        endpoint = settings.HUZHU_ALIYUN_SMS_ENDPOINT.rstrip("/")
        answer = call(urllib.request.Request(f"{endpoint}/?{query}", method="GET"))  # noqa: S310 - call() allows http(s) only
        try:
            verdict = json.loads(answer.body)
        except ValueError as exc:
            raise DeliveryError(f"http_{answer.status}", transient=answer.status >= 500) from exc
        code = str(verdict.get("Code", f"http_{answer.status}"))
        if code == "OK":
            return str(verdict.get("BizId", ""))
        raise DeliveryError(code, transient=code in TRANSIENT_CODES)
