"""Evaluate the free-text classifier on the labelled development set.

    make eval                                  (or: python -m tests.eval.run)
    python -m tests.eval.run --failures        the tuning half's mistakes, to read
    python -m tests.eval.run --second          the second development set, with every mistake
    python -m tests.eval.run --third           a blind set by halves, with its tuning half's
                                               mistakes to read (one flag per BLIND_SETS name)

Prints exact accuracy, accuracy within one rung, the 7x7 confusion matrix, and how many
projects labelled below co-production were classified co-production ("label-lifted"), for
the whole set and for each half; then the same by halves for every set in BLIND_SETS
(realistic UK case write-ups, each written blind by a helper who never saw the classifier).

The set is split in two by a hash of each item's id (of its pair id, for a contrast pair),
fixed forever: the "tuning" half may be read when improving the classifier; the "held-out"
half may not (its mistakes are never printed), so its figures stay an honest estimate. See
tests/eval/README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from services.classifier.app import ClassifierApp
from services.common.rungs import RUNGS_BOTTOM_UP, Rung

DEVSET = Path(__file__).with_name("classifier_devset.yaml")


def _devset(number: int) -> Path:
    return Path(__file__).with_name(f"classifier_devset_{number}.yaml")


DEVSET_2 = _devset(2)
# The sets written blind as realistic UK case write-ups, reported by halves: the third is
# classifier_devset_3.yaml, and so on.
BLIND_SETS = tuple(
    (name, _devset(number))
    for number, name in enumerate(("third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
                                   "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
                                   "sixteenth", "seventeenth", "eighteenth", "nineteenth",
                                   "twentieth", "twenty-first", "twenty-second", "twenty-third",
                                   "twenty-fourth", "twenty-fifth", "twenty-sixth", "twenty-seventh",
                                   "twenty-eighth", "twenty-ninth", "thirtieth", "thirty-first",
                                   "thirty-second", "thirty-third", "thirty-fourth", "thirty-fifth",
                                   "thirty-sixth", "thirty-seventh", "thirty-eighth"),
                                  start=3)
)
PROBES = Path(__file__).with_name("probes.yaml")
TUNING, HELD_OUT = "tuning", "held-out"


def half_of(item_id: str) -> str:
    """Odd hash: held out. Fixed by the id alone, so the halves never move."""
    return HELD_OUT if hashlib.sha256(item_id.encode()).digest()[-1] % 2 else TUNING


def half_of_item(item: dict[str, Any]) -> str:
    """The half an item is in. Items written as a contrast pair (the same project, one fact
    changed) carry a `pair` id and go to its half together: reading one of a pair in the
    tuning half would otherwise show most of its partner's held-out text."""
    return half_of(item.get("pair", item["id"]))


@dataclass
class Outcome:
    item: dict[str, Any]
    expected: Rung
    got: Rung
    answer: dict[str, Any]


@dataclass
class Scores:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.outcomes)

    @property
    def exact(self) -> float:
        return sum(o.got is o.expected for o in self.outcomes) / self.count if self.count else 0.0

    @property
    def within_one(self) -> float:
        hits = sum(abs(o.got.position - o.expected.position) <= 1 for o in self.outcomes)
        return hits / self.count if self.count else 0.0

    @property
    def label_lifted(self) -> list[Outcome]:
        """Labelled below co-production, classified co-production."""
        return [o for o in self.outcomes
                if o.expected is not Rung.CO_PRODUCTION and o.got is Rung.CO_PRODUCTION]

    def confusion(self) -> list[list[int]]:
        matrix = [[0] * len(RUNGS_BOTTOM_UP) for _ in RUNGS_BOTTOM_UP]
        for o in self.outcomes:
            matrix[o.expected.position][o.got.position] += 1
        return matrix


def load_items(path: Path = DEVSET) -> list[dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["items"]


def evaluate(items: list[dict[str, Any]], app: ClassifierApp | None = None) -> dict[str, Scores]:
    app = app or ClassifierApp()
    by_half = {"all": Scores(), TUNING: Scores(), HELD_OUT: Scores()}
    for item in items:
        answer = app.classify({"description": item["text"]}, publish=lambda *_: None)
        outcome = Outcome(item, Rung(item["rung"]), Rung(answer["rung"]), answer)
        by_half["all"].outcomes.append(outcome)
        by_half[half_of_item(item)].outcomes.append(outcome)
    return by_half


def report(by_half: dict[str, Scores], confusion: bool = True) -> str:
    lines = []
    for name in ("all", TUNING, HELD_OUT):
        s = by_half[name]
        lines.append(
            f"{name:>9}: {s.count:3d} items  exact {s.exact:6.1%}  within one {s.within_one:6.1%}  "
            f"label-lifted {len(s.label_lifted)}"
        )
    if confusion:
        lines.append("")
        lines.append(confusion_table(by_half["all"]))
    return "\n".join(lines)


def confusion_table(scores: Scores) -> str:
    lines = ["confusion matrix, all items (rows: label, columns: classified)"]
    short = [r.value[:7] for r in RUNGS_BOTTOM_UP]
    lines.append(" " * 14 + " ".join(f"{name:>7}" for name in short))
    for rung, row in zip(RUNGS_BOTTOM_UP, scores.confusion(), strict=True):
        lines.append(f"{rung.value:>13} " + " ".join(f"{n:7d}" for n in row))
    return "\n".join(lines)


def failures(scores: Scores) -> str:
    lines = []
    for o in scores.outcomes:
        if o.got is o.expected:
            continue
        lines.append(f"--- {o.item['id']}: label {o.expected.value}, got {o.got.value} "
                     f"(self-label {o.item.get('self_label')})")
        if o.item.get("why"):
            lines.append(f"    why: {o.item['why']}")
        for e in o.answer["evidence"]:
            flags = "".join(f" [{k}]" for k in ("negated", "hedged") if e.get(k))
            flags += "" if e.get("counted", True) else " [not counted]"
            quote = e["span"]["quote"] if e.get("span") else ""
            lines.append(f"    {e['signal']:30} {quote[:60]!r}{flags}")
        lines.append("    scores: " + ", ".join(f"{s['rung']} {s['score']:.2f}" for s in o.answer["scores"]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--failures", action="store_true",
                        help="print the tuning half's mistakes (the held-out half's are never shown)")
    parser.add_argument("--probes", action="store_true",
                        help="evaluate the engineer's own probes (probes.yaml) instead, with every mistake")
    parser.add_argument("--second", action="store_true",
                        help="evaluate classifier_devset_2.yaml instead, with every mistake")
    for name, path in BLIND_SETS:
        parser.add_argument(f"--{name}", action="store_true",
                            help=f"evaluate {path.name} by halves, with the tuning half's mistakes "
                                 "(the held-out half's are never shown)")
    args = parser.parse_args(argv)
    for name, path in BLIND_SETS:
        if getattr(args, name.replace("-", "_")):
            scores = evaluate(load_items(path))
            print(f"{name} set (realistic UK case write-ups)")
            print(report(scores, confusion=False))
            print()
            print(failures(scores[TUNING]))
            return 0
    for wanted, name, path in ((args.probes, "probes", PROBES), (args.second, "second set", DEVSET_2)):
        if wanted:
            scores = evaluate(load_items(path))["all"]
            print(f"{name}: {scores.count} items  exact {scores.exact:.1%}  "
                  f"within one {scores.within_one:.1%}  label-lifted {len(scores.label_lifted)}")
            print(confusion_table(scores))
            print(failures(scores))
            return 0
    by_half = evaluate(load_items())
    print(report(by_half))
    held_out = Scores(list(by_half[HELD_OUT].outcomes))
    for name, path in BLIND_SETS:
        blind = evaluate(load_items(path))
        held_out.outcomes += blind[HELD_OUT].outcomes
        print()
        print(f"{name} set (realistic UK case write-ups, written blind)")
        print(report(blind, confusion=False))
    print()
    print(f"every held-out half together: {held_out.count} items  exact {held_out.exact:.1%}  "
          f"within one {held_out.within_one:.1%}  label-lifted {len(held_out.label_lifted)}")
    if args.failures:
        print()
        print(failures(by_half[TUNING]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
