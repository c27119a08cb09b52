"""`huzhu restore FILE`: bring back a `huzhu backup` into a fresh data directory or an
empty database (run `huzhu migrate` afterwards if the code is newer than the backup)."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from huzhu.accounts.backup import BackupFailed, RestoreRefused, restore_backup
from huzhu.accounts.backup_crypto import WrongPassphrase
from huzhu.accounts.management.commands.backup import add_passphrase_argument, passphrase


class Command(BaseCommand):
    help = "Restore a backup into a fresh data directory or an empty database."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="the backup to restore")
        add_passphrase_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        secret = passphrase(options)
        try:
            with Path(options["file"]).open("rb") as source:
                manifest, warnings = restore_backup(source, secret)
        except OSError as error:
            raise CommandError(f"Cannot read the backup: {error}") from error
        except WrongPassphrase as error:
            raise CommandError(f"Nothing restored. {error}") from error
        except (RestoreRefused, BackupFailed) as error:
            raise CommandError(f"Nothing restored. {error}") from error
        for warning in warnings:
            self.stderr.write(f"Warning: {warning}")
        self.stdout.write(
            f"Restored the {manifest.vendor} database of {manifest.created_at}, its keys and "
            "uploads. Then run `huzhu migrate` and `huzhu replay_erasures`."
        )
