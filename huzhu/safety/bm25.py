"""Okapi BM25 over a few dozen documents: pure Python, no dependency, built once.

score(d, q) = Σ over query terms t of idf(t) · f(t, d) · (k1 + 1) / (f(t, d) + k1 · norm(d)),
with norm(d) = 1 - b + b · |d| / avgdl and idf(t) = ln(1 + (N - n(t) + 0.5) / (n(t) + 0.5)).
This idf (Lucene's) never goes negative, so a word found in most paragraphs still counts a
little instead of pushing a paragraph down. Terms repeated in the query count once per
repetition, as in the original formula.
"""

import math
from collections import Counter
from collections.abc import Sequence

K1 = 1.5
B = 0.75


class Index:
    """Documents as lists of terms; `scores(query)` gives one score per document, in order."""

    def __init__(self, documents: Sequence[Sequence[str]], *, k1: float = K1, b: float = B):
        self.k1, self.b = k1, b
        self.counts = [Counter(document) for document in documents]
        self.lengths = [len(document) for document in documents]
        self.average_length = sum(self.lengths) / len(documents) if documents else 0.0
        frequency: Counter[str] = Counter()
        for counts in self.counts:
            frequency.update(counts.keys())
        total = len(documents)
        self.idf = {
            term: math.log(1 + (total - n + 0.5) / (n + 0.5)) for term, n in frequency.items()
        }

    def scores(self, query: Sequence[str]) -> list[float]:
        terms = [term for term in query if term in self.idf]
        return [self._score(i, terms) for i in range(len(self.counts))]

    def _score(self, i: int, terms: Sequence[str]) -> float:
        counts = self.counts[i]
        norm = 1 - self.b + self.b * self.lengths[i] / (self.average_length or 1)
        total = 0.0
        for term in terms:
            found = counts.get(term, 0)
            if found:
                total += self.idf[term] * found * (self.k1 + 1) / (found + self.k1 * norm)
        return total

    def top(self, query: Sequence[str], limit: int) -> list[tuple[int, float]]:
        """The best `limit` documents with a positive score, best first (ties: earlier first)."""
        ranked = sorted(enumerate(self.scores(query)), key=lambda pair: (-pair[1], pair[0]))
        return [(i, score) for i, score in ranked[:limit] if score > 0]
