"""Twilio's Messages API, the international gateway: a form POST with HTTP basic auth
(the account SID and auth token), answered 201 with the message's `sid`, or 4xx with
Twilio's error `code`."""

import base64
import json
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from huzhu.accounts.gateways.http import DeliveryError, call


class TwilioSMSBackend:
    def __init__(self) -> None:
        self.sid = settings.HUZHU_TWILIO_ACCOUNT_SID
        self.token = settings.HUZHU_TWILIO_AUTH_TOKEN
        self.sender = settings.HUZHU_TWILIO_FROM
        if not (self.sid and self.token and self.sender):
            raise ImproperlyConfigured(
                "Twilio needs HUZHU_TWILIO_ACCOUNT_SID, HUZHU_TWILIO_AUTH_TOKEN and "
                "HUZHU_TWILIO_FROM"
            )

    def send_sms(self, to: str, body: str) -> str:
        base = settings.HUZHU_TWILIO_API_BASE.rstrip("/")
        url = f"{base}/2010-04-01/Accounts/{self.sid}/Messages.json"
        sender = "MessagingServiceSid" if self.sender.startswith("MG") else "From"
        form = urllib.parse.urlencode({"To": to, sender: self.sender, "Body": body}).encode()
        credentials = base64.b64encode(f"{self.sid}:{self.token}".encode()).decode()
        request = urllib.request.Request(  # noqa: S310 - call() allows http(s) only
            url,
            data=form,
            method="POST",
            headers={
                "Authorization": f"Basic {credentials}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        answer = call(request)
        try:
            verdict = json.loads(answer.body)
        except ValueError:
            verdict = {}
        if answer.status in (200, 201) and verdict.get("sid"):
            return str(verdict["sid"])
        raise DeliveryError(f"twilio_{verdict.get('code', answer.status)}", transient=False)
