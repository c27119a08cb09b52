"""One HTTP call to a gateway, retried with backoff while the failure may pass.

A timeout, a refused connection, HTTP 429 or a 5xx is worth another try after
HUZHU_DELIVERY_BACKOFF seconds, doubling each time, up to HUZHU_DELIVERY_ATTEMPTS tries;
any other answer is returned to the adapter, which reads the provider's verdict. This
runs in the background task, never in a request.
"""

import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    """The message did not go out. `transient`: trying later may work."""

    def __init__(self, code: str, *, transient: bool) -> None:
        super().__init__(code)
        self.code = code[:200]
        self.transient = transient


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes


def call(request: urllib.request.Request) -> Answer:
    """Send `request`; retry transient failures; raise DeliveryError when none worked."""
    if request.type not in ("http", "https"):
        raise DeliveryError("endpoint_not_http", transient=False)
    attempts = max(1, settings.HUZHU_DELIVERY_ATTEMPTS)
    reason = "unreachable"
    for attempt in range(attempts):
        if attempt:
            time.sleep(settings.HUZHU_DELIVERY_BACKOFF * 2 ** (attempt - 1))
        try:
            with urllib.request.urlopen(  # noqa: S310 - http(s) only, checked above
                request, timeout=settings.HUZHU_DELIVERY_TIMEOUT
            ) as response:
                return Answer(status=response.status, body=response.read())
        except urllib.error.HTTPError as exc:
            if exc.code != 429 and exc.code < 500:
                return Answer(status=exc.code, body=exc.read())
            reason = f"http_{exc.code}"
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            reason = "timeout" if "timed out" in str(exc) else "unreachable"
        logger.info("gateway try %d of %d failed: %s", attempt + 1, attempts, reason)
    raise DeliveryError(reason, transient=True)
