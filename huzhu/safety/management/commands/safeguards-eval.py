"""`huzhu safeguards-eval FILE.tsv`: the content safeguards' rates on a labelled corpus."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from huzhu.safety.evaluation import EXPECTS, evaluate, read_corpus


class Command(BaseCommand):
    help = (
        "Run a labelled corpus (TSV: expect kind category title body secret; expect is "
        "hold, mask or publish) through the real posting rules and masking, each row in a "
        "transaction rolled back, and print the rate per class and every miss."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, metavar="FILE.tsv")
        parser.add_argument(
            "--min",
            type=float,
            default=0.0,
            help="exit with an error if any class's rate is below this (e.g. 0.97)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rows = read_corpus(options["file"])
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        report = evaluate(rows)
        for line in report.lines():
            self.stdout.write(line)
        for expect in EXPECTS:
            passed, total = report.rate(expect)
            if total and passed / total < options["min"]:
                raise CommandError(f"{expect}: {passed}/{total} is below {options['min']:.0%}")
