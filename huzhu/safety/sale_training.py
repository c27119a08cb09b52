"""Train the sale model (sale_model.py) on a labelled corpus with scikit-learn.

scikit-learn is a development dependency: it is needed to retrain, not to serve. Positives
are the corpus's `hold` rows that gift-only is about (rows held for naming a prescription
medicine are left out: that is the data file's job, not slang's); negatives are the
`publish` and `mask` rows.
"""

from typing import Any

from huzhu.safety.evaluation import Row
from huzhu.safety.sale_model import prepare
from huzhu.text.normalise import plain
from huzhu.text.prescriptions import data_names, first_mention

NGRAM_RANGE = (1, 3)
KEEP = 3000  # n-grams kept, by weight: the file stays small (~50 kB), the score hardly moves


def training_set(rows: list[Row]) -> tuple[list[str], list[int]]:
    names = data_names()
    texts, labels = [], []
    for row in rows:
        text = f"{row.title}\n{row.body}"
        if row.expect == "hold" and first_mention(plain(text), names) is not None:
            continue
        texts.append(text)
        labels.append(int(row.expect == "hold"))
    return texts, labels


def train(rows: list[Row]) -> dict[str, Any]:
    """The model file's content: n-gram weights, intercept, n-gram range, training size."""
    from sklearn.feature_extraction.text import CountVectorizer  # type: ignore[import-untyped]
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    texts, labels = training_set(rows)
    vectorizer = CountVectorizer(
        analyzer="char", ngram_range=NGRAM_RANGE, binary=True, lowercase=False, preprocessor=prepare
    )
    features = vectorizer.fit_transform(texts)
    # No intercept: a text with nothing in it (a bare item name) scores 0.5, not the share of
    # sellers among short posts; only words move the score.
    model = LogisticRegression(C=4.0, class_weight="balanced", max_iter=5000, fit_intercept=False)
    model.fit(features, labels)
    coefficients = model.coef_[0]
    ranked = sorted(
        vectorizer.vocabulary_.items(), key=lambda item: -abs(float(coefficients[item[1]]))
    )
    weights = {gram: round(float(coefficients[i]), 4) for gram, i in ranked[:KEEP]}
    return {
        "ngram_range": list(NGRAM_RANGE),
        "intercept": 0.0,
        "weights": {gram: w for gram, w in weights.items() if w},
        "trained_on": {"rows": len(texts), "positives": sum(labels)},
    }
