"""`huzhu replay_erasures`: after restoring a backup, erase again the accounts people erased."""

from typing import Any

from django.core.management.base import BaseCommand

from huzhu.accounts.erasure import replay_erasures


class Command(BaseCommand):
    help = "Erase again every account with an erasure record (run after restoring a backup)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = replay_erasures()
        self.stdout.write(f"{count} erasure(s) replayed")
