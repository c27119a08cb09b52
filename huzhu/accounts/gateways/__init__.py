"""Real SMS and e-mail gateways: Alibaba Cloud SMS, Twilio, SMTP. Each satisfies the
Protocol in accounts/outbox.py and raises `DeliveryError` when a message does not go out."""
