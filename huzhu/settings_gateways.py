"""The real SMS and e-mail gateways' settings, part of huzhu/settings.py (star-imported there).

Each is read from the environment; the README's configuration table documents them all.
"""

from huzhu.env import envfloat, envint, envstr

# Real gateways (huzhu/accounts/gateways/), called from a background task: per HTTP call
# a timeout and tries with doubling backoff; then the task itself is queued again this many
# times for a failure that may pass.
HUZHU_DELIVERY_TIMEOUT = envfloat("HUZHU_DELIVERY_TIMEOUT", 10.0)
HUZHU_DELIVERY_ATTEMPTS = envint("HUZHU_DELIVERY_ATTEMPTS", 3)
HUZHU_DELIVERY_BACKOFF = envfloat("HUZHU_DELIVERY_BACKOFF", 1.0)
HUZHU_DELIVERY_RETRIES = envint("HUZHU_DELIVERY_RETRIES", 3)
# Alibaba Cloud SMS (HUZHU_SMS_BACKEND=huzhu.accounts.gateways.aliyun.AliyunSMSBackend).
HUZHU_ALIYUN_SMS_ACCESS_KEY_ID = envstr("HUZHU_ALIYUN_SMS_ACCESS_KEY_ID")
HUZHU_ALIYUN_SMS_ACCESS_KEY_SECRET = envstr("HUZHU_ALIYUN_SMS_ACCESS_KEY_SECRET")
HUZHU_ALIYUN_SMS_SIGN_NAME = envstr("HUZHU_ALIYUN_SMS_SIGN_NAME")
HUZHU_ALIYUN_SMS_TEMPLATE = envstr("HUZHU_ALIYUN_SMS_TEMPLATE")
HUZHU_ALIYUN_SMS_TEMPLATE_PARAM = envstr("HUZHU_ALIYUN_SMS_TEMPLATE_PARAM", "content")
HUZHU_ALIYUN_SMS_REGION = envstr("HUZHU_ALIYUN_SMS_REGION", "cn-hangzhou")
HUZHU_ALIYUN_SMS_ENDPOINT = envstr("HUZHU_ALIYUN_SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com")
# Twilio (HUZHU_SMS_BACKEND=huzhu.accounts.gateways.twilio.TwilioSMSBackend).
HUZHU_TWILIO_ACCOUNT_SID = envstr("HUZHU_TWILIO_ACCOUNT_SID")
HUZHU_TWILIO_AUTH_TOKEN = envstr("HUZHU_TWILIO_AUTH_TOKEN")
HUZHU_TWILIO_FROM = envstr("HUZHU_TWILIO_FROM")
HUZHU_TWILIO_API_BASE = envstr("HUZHU_TWILIO_API_BASE", "https://api.twilio.com")
# Alibaba's push of inbound SMS has no signature: its URL carries this secret instead
# (/sms/inbound/aliyun/<token>); empty: the route answers 404.
HUZHU_ALIYUN_SMS_INBOUND_TOKEN = envstr("HUZHU_ALIYUN_SMS_INBOUND_TOKEN")
# SMTP (HUZHU_EMAIL_BACKEND=huzhu.accounts.gateways.smtp.SMTPEmailBackend); security is
# "starttls", "ssl" or "none".
HUZHU_SMTP_HOST = envstr("HUZHU_SMTP_HOST")
HUZHU_SMTP_PORT = envint("HUZHU_SMTP_PORT", 587)
HUZHU_SMTP_USER = envstr("HUZHU_SMTP_USER")
HUZHU_SMTP_PASSWORD = envstr("HUZHU_SMTP_PASSWORD")
HUZHU_SMTP_SECURITY = envstr("HUZHU_SMTP_SECURITY", "starttls")
HUZHU_EMAIL_FROM = envstr("HUZHU_EMAIL_FROM", "Huzhu <noreply@localhost>")
