"""What the content safeguards cost on the hot paths: every post written and every relay
message, cold (caches cleared before each text, as for text never seen) and warm.

    python -m bench.safeguards [--rounds 5]

Runs the project's labelled corpus (huzhu/safety/tests/data/safeguards_corpus.tsv, 600+
posts in zh and en) through what a post pays — the normalisation, gift-only, prescriptions,
the held-post cost words and contact masking of title and body — and what a relay message
pays (gift-only and masking of its body); a post also pays the sale model's score. No
database: the prescription names are the data file's and the catalogue's non-OTC aliases,
read once as `prescription_names()` does.
"""

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

CORPUS = Path("huzhu/safety/tests/data/safeguards_corpus.tsv")
CATALOGUE = Path("huzhu/posts/data/catalogue.json")


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huzhu.settings")
    import django

    django.setup()


def _texts() -> list[tuple[str, str]]:
    from huzhu.safety.evaluation import read_corpus

    return [(row.title, row.body) for row in read_corpus(CORPUS)]


def _names() -> list[str]:
    from huzhu.text.prescriptions import all_names

    items = json.loads(CATALOGUE.read_text(encoding="utf-8"))["items"]
    aliases = [a for item in items if not item["otc"] for a in (*item["aliases"], item["name_en"])]
    return all_names(aliases)


def _clear() -> None:
    from huzhu.text import contact, normalise

    normalise.normalise.cache_clear()
    contact._contacts_in.cache_clear()


def _per_text(run: Callable[[str, str], object], texts: list[tuple[str, str]], cold: bool) -> float:
    """Microseconds per text, the median of its rounds' means."""
    started = time.perf_counter()
    for title, body in texts:
        if cold:
            _clear()
        run(title, body)
    return (time.perf_counter() - started) / len(texts) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    _setup()
    from huzhu.safety.posting import mentions_costs
    from huzhu.safety.sale_model import uncertain_sale
    from huzhu.text import rules
    from huzhu.text.contact import mask_contacts
    from huzhu.text.normalise import normalise

    texts, names = _texts(), _names()

    def normalise_only(title: str, body: str) -> object:
        return normalise(title), normalise(body)

    def post(title: str, body: str) -> object:
        for text in (title, body):
            rules.gift_only(text) or rules.prescription_only(text, names)
            mentions_costs(rules.fold(text))
            mask_contacts(text)
        return uncertain_sale(title, body)

    def message(_title: str, body: str) -> object:
        rules.gift_only(body)
        return mask_contacts(body)

    _clear()
    print(f"{len(texts)} posts, {len(names)} prescription names, {rounds} rounds")
    for label, run in (("normalise", normalise_only), ("post", post), ("message", message)):
        for cold in (True, False):
            if not cold:
                _per_text(run, texts, cold=False)  # fill the caches first
            means = [_per_text(run, texts, cold) for _ in range(rounds)]
            kind = "cold" if cold else "warm"
            print(f"{label:10} {kind}: {statistics.median(means):8.1f} µs per text")


if __name__ == "__main__":
    main()
