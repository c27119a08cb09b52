"""Inbound-SMS webhooks, one per provider, each checking the provider's signature.

Twilio signs each webhook with X-Twilio-Signature: base64 HMAC-SHA1, under the account's
auth token, of the full URL followed by every POST parameter's name and value in name
order. Alibaba Cloud's HTTP push of inbound SMS (上行短信) carries no signature, so its URL
holds a secret token (HUZHU_ALIYUN_SMS_INBOUND_TOKEN) compared in constant time; without
the token the route answers 404. Neither answer says whether the number is known.
"""

import base64
import hashlib
import hmac
import json
import logging

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from huzhu.exchanges.sms_replies import handle_reply

logger = logging.getLogger(__name__)


def twilio_signature(url: str, params: dict[str, str], token: str) -> str:
    signed = url + "".join(f"{key}{params[key]}" for key in sorted(params))
    return base64.b64encode(
        hmac.new(token.encode(), signed.encode(), hashlib.sha1).digest()
    ).decode()


@csrf_exempt  # a provider's server posts here; the signature stands in for the CSRF token
@require_POST
def twilio_inbound(request: HttpRequest) -> HttpResponse:
    token = settings.HUZHU_TWILIO_AUTH_TOKEN
    if not token:
        raise Http404
    params = {key: request.POST[key] for key in request.POST}
    url = f"{settings.SITE_URL}{request.path}"
    given = request.headers.get("X-Twilio-Signature", "")
    if not constant_time_compare(given, twilio_signature(url, params, token)):
        logger.warning("inbound SMS refused: bad Twilio signature")
        return HttpResponse(status=403)
    done = handle_reply(phone=params.get("From", ""), body=params.get("Body", ""))
    logger.info("inbound SMS (twilio): %s", done)
    return HttpResponse("<Response/>", content_type="application/xml")


@csrf_exempt  # as above: the secret token in the URL stands in for a signature
@require_POST
def aliyun_inbound(request: HttpRequest, token: str) -> HttpResponse:
    expected = settings.HUZHU_ALIYUN_SMS_INBOUND_TOKEN
    if not expected or not constant_time_compare(token, expected):
        raise Http404
    try:
        items = json.loads(request.body)
    except ValueError:
        return JsonResponse({"code": 1, "msg": "bad json"}, status=400)
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            phone = str(item.get("phone_number", ""))
            done = handle_reply(phone=phone, body=str(item.get("content", "")))
            logger.info("inbound SMS (aliyun): %s", done)
    return JsonResponse({"code": 0, "msg": "成功"})
