"""Near-identical text, for the duplicate rule (safety/posting.py).

Character trigrams, not words: Chinese is written without spaces, and trigrams of the
normalised text treat "急需布洛芬，孩子发烧" and "急需布洛芬 孩子发烧了" alike in both scripts.
Two texts are near-identical when the Jaccard index of their trigram sets reaches the
threshold (0.8 by default: a changed word or two in a sentence stays above it, a different
request falls well below), or when their normalised forms are equal — short texts have too
few trigrams for the index to mean much.
"""

import unicodedata

SHINGLE = 3


def normalise(text: str) -> str:
    """Case, width, whitespace and punctuation folded away: only letters and digits remain."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(char for char in folded if char.isalnum())


def shingles(text: str) -> frozenset[str]:
    plain = normalise(text)
    if len(plain) <= SHINGLE:
        return frozenset([plain]) if plain else frozenset()
    return frozenset(plain[i : i + SHINGLE] for i in range(len(plain) - SHINGLE + 1))


def jaccard(first: frozenset[str], second: frozenset[str]) -> float:
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def near_identical(first: str, second: str, *, threshold: float) -> bool:
    if normalise(first) == normalise(second):
        return bool(normalise(first))
    return jaccard(shingles(first), shingles(second)) >= threshold
