"""`huzhu backup FILE`: an encrypted archive of the database, its keys and the uploads.

Safe while the site serves. The passphrase comes from `--passphrase-file` or the
environment variable HUZHU_BACKUP_PASSPHRASE; without it the backup cannot be restored.
"""

import os
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from huzhu.accounts.backup import BackupFailed, make_backup
from huzhu.env import envstr

MIN_PASSPHRASE = 12


def passphrase(options: dict[str, Any]) -> str:
    """The operator's passphrase, from the file named by the option or the environment."""
    if options["passphrase_file"]:
        try:
            text = Path(options["passphrase_file"]).read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot read the passphrase file: {error}") from error
    else:
        text = envstr("HUZHU_BACKUP_PASSPHRASE")
    text = text.rstrip("\r\n")
    if not text:
        raise CommandError("Give a passphrase: --passphrase-file or HUZHU_BACKUP_PASSPHRASE.")
    return text


def add_passphrase_argument(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--passphrase-file",
        metavar="FILE",
        help="read the passphrase from FILE (default: $HUZHU_BACKUP_PASSPHRASE)",
    )


class Command(BaseCommand):
    help = "Back up the database, its keys and the uploads into one encrypted file."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="where to write the backup")
        add_passphrase_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        secret = passphrase(options)
        if len(secret) < MIN_PASSPHRASE:
            raise CommandError(f"The passphrase must have at least {MIN_PASSPHRASE} characters.")
        target = Path(options["file"])
        partial = target.with_name(target.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as sink:
                manifest = make_backup(sink, secret)
            partial.replace(target)  # whole or not at all
        except BackupFailed as error:
            raise CommandError(f"Nothing backed up. {error}") from error
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(
            f"Backed up the {manifest.vendor} database, keys and uploads to {target}."
        )
