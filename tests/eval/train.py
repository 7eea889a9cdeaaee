"""Fit the weights the classifier gives to facts read from a description.

    make train-text-model        (or: python -m tests.eval.train)

writes services/classifier/data/text_weights.yaml (see services/classifier/text_model.py).
Run it after any change to the reader (signals.yaml, reading.py) or the development sets;
tests/unit/classifier/test_text_model.py fails until the weights are made again.

What it learns from: every development set's tuning half, the whole second set and the
probes. Never a held-out half: those stay unseen, so `make eval`'s held-out lines remain
an honest estimate of how the classifier reads text it has never met.

How: a multinomial logistic regression (scikit-learn, L2, lbfgs), one feature per
"question = option" and "question != option" fact the reader finds, its value how firmly
the text says it. No words and no self-label are features: only the questionnaire's facts.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

from services.classifier.questionnaire import load_questionnaire
from services.classifier.reading import Reader
from services.classifier.signals import load_signals
from services.classifier.text_model import DEFAULT_PATH, feature_names
from services.common.rungs import RUNGS_BOTTOM_UP
from tests.eval.run import BLIND_SETS, DEVSET, DEVSET_2, PROBES, TUNING, half_of_item, load_items

REGULARISATION_C = 1.0  # sklearn's C: smaller is a stronger pull of every weight towards 0
DIGITS = 4
HALVED = (DEVSET, *(path for _, path in BLIND_SETS))  # only their tuning halves are learned from
WHOLE = (DEVSET_2, PROBES)  # written by the engineers to probe rules; no held-out half

COMMENT = """\
Weights for the facts read from a description, one per rung, fitted by
python -m tests.eval.train; do not edit by hand. A description alone is placed on the
rung with the highest weight sum (services/classifier/text_model.py). The facts are the
questionnaire's options: 'q=o' means the text says option o for question q, 'q!=o' that
it rules o out; each counts as firmly as the text says it (0 to 1).
"""


def training_items() -> list[dict[str, Any]]:
    items = [item for path in HALVED for item in load_items(path) if half_of_item(item) == TUNING]
    return items + [item for path in WHOLE for item in load_items(path)]


def fit(items: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The weights file's content, fitted to `items` (by default training_items())."""
    from sklearn.feature_extraction import DictVectorizer  # a development tool only
    from sklearn.linear_model import LogisticRegression

    items = training_items() if items is None else items
    reader = Reader(load_signals(), load_questionnaire())  # not the app: it loads these weights
    features = [feature_names(reader.read(item["text"])) for item in items]
    vectoriser = DictVectorizer(sort=True)
    model = LogisticRegression(C=REGULARISATION_C, max_iter=20_000, tol=1e-8)
    model.fit(vectoriser.fit_transform(features), [item["rung"] for item in items])
    row = {rung: list(model.classes_).index(rung.value) for rung in RUNGS_BOTTOM_UP}

    def rounded(values: Any) -> dict[str, float]:  # one number per rung, by the model's row
        return {rung.value: round(float(values[row[rung]]), DIGITS) for rung in RUNGS_BOTTOM_UP}

    return {
        "version": 1,
        "comment": COMMENT,
        "training": {
            "command": "python -m tests.eval.train",
            "data": [f"{path.name}: tuning half" for path in HALVED]
            + [f"{path.name}: all" for path in WHOLE],
            "items": len(items),
            "method": "multinomial logistic regression, L2, lbfgs (scikit-learn)",
            "regularisation_c": REGULARISATION_C,
        },
        "intercepts": rounded(model.intercept_),
        "weights": {name: rounded(model.coef_[:, column])
                    for column, name in enumerate(vectoriser.feature_names_)},
    }


class _Dumper(yaml.SafeDumper):
    pass


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None  # the comment as a readable block
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def write(content: dict[str, Any], path: Path = DEFAULT_PATH) -> None:
    path.write_text(yaml.dump(content, Dumper=_Dumper, sort_keys=False, width=100), encoding="utf-8")


def main() -> int:
    content = fit()
    write(content)
    print(f"{DEFAULT_PATH}: {len(content['weights'])} facts weighed, from "
          f"{content['training']['items']} items")
    return 0


if __name__ == "__main__":
    sys.exit(main())
