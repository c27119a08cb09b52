"""`huzhu staff USERNAME --grant|--revoke`: make someone staff (a moderator), or stop.

The admin shows people read-only, so this is the operator's way to change staff status.
Revoking takes every moderator right away at the person's next request (accounts/roles.py).
"""

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from huzhu.accounts.models import User

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Grant or revoke staff status (moderator rights) for one account."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--grant", action="store_true")
        which.add_argument("--revoke", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError("No account with that username.")
        fields = (
            {"is_staff": True} if options["grant"] else {"is_staff": False, "is_superuser": False}
        )
        User.objects.filter(pk=user.pk).update(**fields)
        logger.warning(
            "staff status of user %s: %s", user.pk, "granted" if options["grant"] else "revoked"
        )
        if options["grant"]:
            self.stdout.write(
                f"user {user.pk} is staff; they turn on two-factor log-in at /me/two-factor"
            )
        else:
            self.stdout.write(f"user {user.pk} is no longer staff")
