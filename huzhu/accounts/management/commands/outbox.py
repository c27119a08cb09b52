"""`huzhu outbox`: print the SMS and e-mail the development backends stored, newest last.

Expired codes are blanked out and day-old messages deleted before anything is read."""

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from huzhu.accounts.models import OutboxMessage
from huzhu.accounts.outbox_retention import tend


def as_dict(message: OutboxMessage) -> dict[str, str]:
    return {
        "channel": message.channel,
        "to": message.to,
        "subject": message.subject,
        "body": message.body,
        "created_at": message.created_at.isoformat(),
    }


def as_text(message: OutboxMessage) -> str:
    when = message.created_at.strftime("%Y-%m-%d %H:%M:%S UTC")
    head = f"[{when}] {message.get_channel_display()} to {message.to}"
    if message.subject:
        head += f" — {message.subject}"
    body = "\n".join(f"    {line}" for line in message.body.splitlines() or [""])
    return f"{head}\n{body}"


class Command(BaseCommand):
    help = "Print the outbox: SMS and e-mail stored by the development backends, newest last."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--to", metavar="ADDRESS", help="only messages to this address")
        parser.add_argument("--json", action="store_true", help="print a JSON list")
        parser.add_argument(
            "--limit", type=int, default=20, metavar="N", help="the N newest (default 20)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["limit"] < 1:
            raise CommandError("--limit must be at least 1.")
        tend()
        messages = OutboxMessage.objects.order_by("-created_at", "-pk")
        if options["to"]:
            messages = messages.filter(to=options["to"])
        newest_last = list(messages[: options["limit"]])[::-1]
        if options["json"]:
            self.stdout.write(json.dumps([as_dict(m) for m in newest_last], ensure_ascii=False))
        elif not newest_last:
            self.stdout.write("The outbox is empty.")
        else:
            self.stdout.write("\n\n".join(as_text(m) for m in newest_last))
