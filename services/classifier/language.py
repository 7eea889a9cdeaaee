"""Is this description English? Decided offline, from the share of common English words.

Ladder's cue patterns are English, so it refuses other languages rather than guess. The
word lists and thresholds are data (data/language.yaml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import Field

from services.classifier.datafile import Frozen, load_model

DEFAULT_PATH = Path(__file__).with_name("data") / "language.yaml"

# Letters of any script, with inner apostrophes ("don't", "sy'n"); digits are not words.
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


class _EnglishLists(Frozen):
    function_words: str
    common_words: str


class _LanguageData(Frozen):
    version: int
    min_english_share: float = Field(gt=0, lt=1)
    min_words_for_share: int = Field(ge=1)
    english: _EnglishLists
    other_languages: dict[str, str] = Field(min_length=1)


@dataclass(frozen=True)
class LanguageCheck:
    english: bool
    english_share: float
    likeliest_other: str | None  # the other listed language with the most words, if any


class LanguageDetector:
    def __init__(self, path: Path = DEFAULT_PATH) -> None:
        data = load_model(path, _LanguageData, ValueError)
        self.min_share = data.min_english_share
        self.min_words = data.min_words_for_share
        self.english = frozenset((data.english.function_words + " " + data.english.common_words).split())
        self.others = {name: frozenset(words.split()) for name, words in data.other_languages.items()}
        # Each listed word and the lists it is on (English is ""), so a text is counted in one pass.
        self._lists: dict[str, tuple[str, ...]] = {}
        for name, vocabulary in (("", self.english), *self.others.items()):
            for word in vocabulary:
                self._lists[word] = (*self._lists.get(word, ()), name)

    def check(self, text: str) -> LanguageCheck:
        words = [w.lower().replace("’", "'") for w in _WORD.findall(text)]
        if not words:
            return LanguageCheck(english=False, english_share=0.0, likeliest_other=None)
        counts = dict.fromkeys(("", *self.others), 0)
        lists = self._lists
        for word in words:
            # "people's" counts as "people": English possessives are common in descriptions.
            for name in lists.get(word[:-2] if word.endswith("'s") else word, ()):
                counts[name] += 1
        english = counts.pop("")
        other_counts = counts
        likeliest, most = max(other_counts.items(), key=lambda item: item[1])
        share = english / len(words)
        if len(words) < self.min_words:
            ok = english >= 1 and english >= most
        else:
            ok = share >= self.min_share and english > most
        return LanguageCheck(english=ok, english_share=round(share, 3),
                             likeliest_other=likeliest if most else None)


@cache
def default_detector() -> LanguageDetector:
    return LanguageDetector()
