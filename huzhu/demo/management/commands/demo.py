"""`huzhu demo`: load a demo city (users and posts around Beijing) for trying Huzhu out."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from huzhu.demo.city import DEMO_PASSWORD, NAMED_USERS, generate_city
from huzhu.posts.models import Post
from huzhu.progress import Progress


class Command(BaseCommand):
    help = "Load a demo city: users with pseudonyms and posts clustered around Beijing."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--posts", type=int, default=300, metavar="N", help="default 300")
        parser.add_argument("--users", type=int, default=40, metavar="M", help="default 40")
        parser.add_argument("--seed", type=int, default=1, metavar="S", help="default 1")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if any post exists already"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["posts"] < 0 or options["users"] < 1:
            raise CommandError("--posts must be at least 0 and --users at least 1.")
        if options["if_empty"] and Post.objects.exists():
            self.stdout.write("Posts exist already; no demo city loaded.")
            return
        bar = Progress(options["posts"], "demo city") if options["posts"] >= 10_000 else None
        summary = generate_city(
            posts=options["posts"],
            users=options["users"],
            seed=options["seed"],
            progress=bar.advance if bar else None,
        )
        if bar:
            bar.close()
        self.stdout.write(
            f"Demo city: {summary.posts_created:,} posts, {summary.history_rows:,} status "
            f"changes, {summary.users_created:,} new users in {summary.seconds:.1f}s."
        )
        logins = ", ".join(username for username, _ in NAMED_USERS)
        self.stdout.write(f"Demo logins: {logins} (password {DEMO_PASSWORD})")
