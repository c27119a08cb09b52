"""E-mail through SMTP with Django's own backend, configured from the environment
(HUZHU_SMTP_HOST, _PORT, _USER, _PASSWORD, _SECURITY, HUZHU_EMAIL_FROM)."""

import smtplib
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend
from django.utils.crypto import get_random_string

from huzhu.accounts.gateways.http import DeliveryError


class SMTPEmailBackend:
    def __init__(self) -> None:
        if not settings.HUZHU_SMTP_HOST:
            raise ImproperlyConfigured("SMTP e-mail needs HUZHU_SMTP_HOST")
        security = settings.HUZHU_SMTP_SECURITY
        self.connection = EmailBackend(
            host=settings.HUZHU_SMTP_HOST,
            port=settings.HUZHU_SMTP_PORT,
            username=settings.HUZHU_SMTP_USER or None,
            password=settings.HUZHU_SMTP_PASSWORD or None,
            use_tls=security == "starttls",
            use_ssl=security == "ssl",
            timeout=settings.HUZHU_DELIVERY_TIMEOUT,
            fail_silently=False,
        )

    def send_email(self, to: str, subject: str, body: str) -> str:
        domain = parseaddr(settings.HUZHU_EMAIL_FROM)[1].rpartition("@")[2] or "localhost"
        message_id = f"<{get_random_string(24)}@{domain}>"
        message = EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.HUZHU_EMAIL_FROM,
            to=[to],
            headers={"Message-ID": message_id},
            connection=self.connection,
        )
        try:
            message.send()
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryError("smtp_recipient_refused", transient=False) from exc
        except smtplib.SMTPResponseException as exc:
            transient = 400 <= exc.smtp_code < 500  # 4xx: try later; 5xx: refused
            raise DeliveryError(f"smtp_{exc.smtp_code}", transient=transient) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError("smtp_unreachable", transient=True) from exc
        return message_id
