"""`huzhu safeguards-train`: retrain the sale model on a labelled corpus (needs scikit-learn)."""

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from huzhu.safety.evaluation import read_corpus
from huzhu.safety.sale_model import MODEL_FILE

CORPUS = Path(__file__).resolve().parents[2] / "tests" / "data" / "safeguards_corpus.tsv"


class Command(BaseCommand):
    help = (
        "Train the sale model (character n-grams, logistic regression) on a labelled corpus "
        "and write it as the small JSON file the server scores posts with."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--corpus", type=Path, default=CORPUS, metavar="FILE.tsv")
        parser.add_argument("--out", type=Path, default=MODEL_FILE, metavar="FILE.json")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            from huzhu.safety.sale_training import train

            model = train(read_corpus(options["corpus"]))
        except ImportError as error:
            raise CommandError("Retraining needs scikit-learn (requirements/dev.txt).") from error
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        options["out"].write_text(
            json.dumps(model, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
            encoding="utf-8",
        )
        trained = model["trained_on"]
        self.stdout.write(
            f"{options['out']}: {len(model['weights'])} n-grams from {trained['rows']} rows "
            f"({trained['positives']} selling)"
        )
