"""Train the shipped models from the public data in ``../shared/data`` (``loa nlp train``).

Never a ``test`` row: UIT-VSFC trains on its train + dev splits (hyper-parameters were chosen on
dev and by 5-fold cross-validation on train), VNTC on its train split. The raw data is not shipped;
the models trained on it are (``loa/nlp/models/*.npz``).

Recipes (measured; see README "Vietnamese text"):

- ``sentiment-bulk``: cleaned syllable 1–2-grams, TF-IDF (sublinear), LinearSVC(C=1, balanced);
- ``sentiment``: an ensemble (``sentiment.json``): logistic regression (C=10, balanced) on pyvi
  words 1–3 TF-IDF joined with the e5 passage embedding; NB-LR (syllable 1–3 presence scaled by
  each class's log-count ratio, one-vs-rest liblinear C=1, balanced, the ratio folded into the
  weights); logistic regression (C=10, balanced) on e5 alone; log-probabilities weighted
  1 / 0.5 / 0.5, −0.25 on neutral. Weights and bias were chosen on 5-fold cross-validation
  predictions over train + dev;
- ``topic``: cleaned syllable 1–2-grams (min_df 2), TF-IDF, LinearSVC(C=1).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import sys
from pathlib import Path

import numpy as np

from .models import MODELS, LinearTextModel, features

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
SENTIMENT_E5_WEIGHT = 1.0
ENSEMBLE = (("sentiment-words", 1.0), ("sentiment-nb", 0.5), ("sentiment-e5", 0.5))
NEUTRAL_BIAS = -0.25


def read_csv(path: Path) -> list[dict]:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def uit_vsfc(data: Path = DATA) -> dict[str, tuple[list[str], list[str]]]:
    rows = read_csv(data / "uit_vsfc" / "uit_vsfc.csv")
    return {
        split: (
            [r["text"] for r in rows if r["split"] == split],
            [r["label"] for r in rows if r["split"] == split],
        )
        for split in ("train", "dev", "test")
    }


def vntc(data: Path = DATA) -> dict[str, tuple[list[str], list[str]]]:
    rows = read_csv(data / "vntc_10topics" / "vntc_10topics_subset.csv")
    return {
        split: (
            [r["text"] for r in rows if r["split"] == split],
            [r["label"] for r in rows if r["split"] == split],
        )
        for split in ("train", "test")
    }


def aivivn(data: Path = DATA) -> dict[str, tuple[list[str], list[str]]]:
    """No official split: stratified 80/20 with seed 42, as its SOURCE.md suggests."""
    from sklearn.model_selection import train_test_split

    rows = read_csv(data / "aivivn2019_sentiment" / "aivivn2019_train.csv")
    x_train, x_test, y_train, y_test = train_test_split(
        [r["text"] for r in rows],
        [r["label"] for r in rows],
        test_size=0.2,
        stratify=[r["label"] for r in rows],
        random_state=42,
    )
    return {"train": (x_train, y_train), "test": (x_test, y_test)}


def embeddings(texts: list[str], cache_dir: Path | None) -> np.ndarray:
    """e5 passage embeddings of many texts, cached on disk by content (13,000 texts take minutes)."""
    from .embed import passages

    if cache_dir is None:
        return passages(texts)
    cache_dir.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha1("\x00".join(texts).encode()).hexdigest()[:20]
    path = cache_dir / f"e5-{key}.npy"
    if path.exists():
        return np.load(path)
    out = np.vstack([passages(texts[i : i + 256]) for i in range(0, len(texts), 256)])
    np.save(path, out)
    return out


def _fit(texts, labels, *, analyzer, ngram, min_df=1, balanced=False):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    tokens = [" ".join(features(t, analyzer)) for t in texts]
    vec = TfidfVectorizer(
        ngram_range=ngram,
        token_pattern=r"\S+",
        sublinear_tf=True,
        lowercase=False,
        min_df=min_df,
        dtype=np.float32,
    )
    x = vec.fit_transform(tokens)
    clf = LinearSVC(C=1.0, class_weight="balanced" if balanced else None).fit(x, labels)
    return vec, clf


def _save(
    name, vec, clf, *, analyzer, rows, data, dense_w=0.0, recipe="TF-IDF (sublinear, l2) + LinearSVC", **extra
):
    meta = {
        "analyzer": analyzer,
        "trained_on": data,
        "rows": rows,
        "trained": dt.date.today().isoformat(),
        "recipe": recipe + (f" + {dense_w} × e5" if dense_w else ""),
        **extra,
    }
    LinearTextModel.save(
        MODELS / f"{name}.npz",
        vocabulary=vec.vocabulary_ if vec is not None else {},
        idf=vec.idf_
        if vec is not None and hasattr(vec, "idf_")
        else np.ones(len(vec.vocabulary_) if vec is not None else 0),
        coef=clf.coef_,
        intercept=clf.intercept_,
        classes=list(clf.classes_),
        ngram=vec.ngram_range if vec is not None else (1, 1),
        meta=meta,
        dense_w=dense_w,
    )


def _train_sentiment(texts, labels, cache_dir, log):
    """The three members of the sentiment ensemble, and ``sentiment.json``."""
    import json
    from types import SimpleNamespace

    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    y = np.array(labels)
    data = "UIT-VSFC train+dev"
    log(f"sentiment: embedding {len(texts)} texts with e5 (minutes, cached in {cache_dir})")
    e5 = embeddings(texts, cache_dir)
    words = [" ".join(features(t, "words")) for t in texts]
    vec = TfidfVectorizer(
        ngram_range=(1, 3), token_pattern=r"\S+", sublinear_tf=True, lowercase=False, dtype=np.float32
    )
    x = hstack([vec.fit_transform(words), csr_matrix(SENTIMENT_E5_WEIGHT * e5)]).tocsr()
    m1 = LogisticRegression(C=10, class_weight="balanced", max_iter=3000).fit(x, y)
    _save(
        "sentiment-words",
        vec,
        m1,
        analyzer="words",
        rows=len(texts),
        data=data,
        dense_w=SENTIMENT_E5_WEIGHT,
        recipe="TF-IDF (sublinear, l2) + logistic regression",
    )
    syll = [" ".join(features(t, "syllables")) for t in texts]
    counts = CountVectorizer(ngram_range=(1, 3), token_pattern=r"\S+", lowercase=False, binary=True)
    b = counts.fit_transform(syll).astype(np.float64).tocsr()
    classes = sorted(set(labels))
    coef, intercept = np.zeros((len(classes), b.shape[1])), np.zeros(len(classes))
    for k, c in enumerate(classes):
        yes = y == c
        p = 1 + np.asarray(b[yes].sum(0)).ravel()
        q = 1 + np.asarray(b[~yes].sum(0)).ravel()
        ratio = np.log((p / p.sum()) / (q / q.sum()))
        m = LogisticRegression(C=1, class_weight="balanced", max_iter=3000, solver="liblinear").fit(
            b.multiply(ratio).tocsr(), yes
        )
        coef[k], intercept[k] = ratio * m.coef_[0], m.intercept_[0]
    _save(
        "sentiment-nb",
        counts,
        SimpleNamespace(coef_=coef, intercept_=intercept, classes_=classes),
        analyzer="syllables",
        rows=len(texts),
        data=data,
        recipe="NB-LR on n-gram presence (log-count ratios folded in)",
        weighting="binary",
    )
    m3 = LogisticRegression(C=10, class_weight="balanced", max_iter=3000).fit(e5, y)
    _save(
        "sentiment-e5",
        None,
        m3,
        analyzer="syllables",
        rows=len(texts),
        data=data,
        dense_w=1.0,
        recipe="logistic regression on the embedding only",
    )
    spec = {
        "members": [{"file": f"{name}.npz", "weight": weight} for name, weight in ENSEMBLE],
        "bias": {"neutral": NEUTRAL_BIAS},
        "meta": {"trained_on": data, "rows": len(texts), "trained": dt.date.today().isoformat()},
    }
    (MODELS / "sentiment.json").write_text(json.dumps(spec, indent=2) + "\n", encoding="utf-8")
    log(f"sentiment: ensemble of {len(ENSEMBLE)} models, {len(texts)} rows")


def train(
    names=("sentiment-bulk", "topic", "sentiment"),
    data: Path = DATA,
    cache_dir: Path | None = None,
    log=print,
):
    MODELS.mkdir(exist_ok=True)
    if "sentiment-bulk" in names or "sentiment" in names:
        u = uit_vsfc(data)
        texts, labels = u["train"][0] + u["dev"][0], u["train"][1] + u["dev"][1]
    if "sentiment-bulk" in names:
        vec, clf = _fit(texts, labels, analyzer="syllables", ngram=(1, 2), balanced=True)
        _save("sentiment-bulk", vec, clf, analyzer="syllables", rows=len(texts), data="UIT-VSFC train+dev")
        log(f"sentiment-bulk: {len(texts)} rows, {len(vec.vocabulary_)} n-grams")
    if "topic" in names:
        v = vntc(data)
        vec, clf = _fit(v["train"][0], v["train"][1], analyzer="syllables", ngram=(1, 2), min_df=2)
        _save(
            "topic",
            vec,
            clf,
            analyzer="syllables",
            rows=len(v["train"][0]),
            data="VNTC 10 topics subset, train",
        )
        log(f"topic: {len(v['train'][0])} rows, {len(vec.vocabulary_)} n-grams")
    if "sentiment" in names:
        _train_sentiment(texts, labels, cache_dir, log)
