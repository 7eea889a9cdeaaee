"""The matcher's vocabularies (data/vocabulary.yaml): lived-experience focus, kinds of
involvement, access and languages; how other directories' taxonomy terms map onto them.

Each vocabulary is published as an HSDS taxonomy named `ladder-<vocabulary>` whose terms
have ids `ladder-<vocabulary>:<term>`; terms from other taxonomies are recognised by name.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

DATA = Path(__file__).with_name("data")
TAXONOMY_PREFIX = "ladder-"

# Vocabularies whose terms are matched on (each term is one bit in a group's mask).
FOCUS, INVOLVEMENT, ACCESS, LANGUAGES = "lived_experience", "involvement", "access", "languages"
MASKED = (FOCUS, INVOLVEMENT, ACCESS)

_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


def simplify(name: str) -> str:
    """'Learning  Disabilities!' -> 'learning disabilities': how names are compared."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", name.lower()).split())


def taxonomy_name(vocabulary: str) -> str:
    """ "lived_experience" -> "ladder-lived-experience"."""
    return TAXONOMY_PREFIX + vocabulary.replace("_", "-")


class Term(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    label: str
    names: list[str] = []
    phrases: list[str] = []
    covers: list[str] = []


class TermList(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str = ""
    sources: list[str] = Field(min_length=1)
    terms: list[Term] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> TermList:
        ids = [t.id for t in self.terms]
        if len(set(ids)) != len(ids):
            raise ValueError("term ids must be unique")
        for term in self.terms:
            unknown = set(term.covers) - set(ids)
            if unknown:
                raise ValueError(f"{term.id} covers unknown terms {sorted(unknown)}")
        return self


class VocabularyFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: str
    lived_experience: TermList
    involvement: TermList
    access: TermList
    languages: TermList


class Vocabulary:
    """Lookups over the validated vocabularies."""

    def __init__(self, data: VocabularyFile) -> None:
        self.lists: dict[str, TermList] = {
            FOCUS: data.lived_experience,
            INVOLVEMENT: data.involvement,
            ACCESS: data.access,
            LANGUAGES: data.languages,
        }
        self.terms: dict[str, dict[str, Term]] = {
            name: {t.id: t for t in terms.terms} for name, terms in self.lists.items()
        }
        # A term's bit, and the bits it stands for (itself and what it covers).
        self.bit: dict[str, dict[str, int]] = {
            name: {t.id: 1 << i for i, t in enumerate(self.lists[name].terms)} for name in MASKED
        }
        self.reach: dict[str, dict[str, int]] = {
            name: {
                t.id: self.bit[name][t.id] | _bits(self.bit[name], t.covers) for t in self.lists[name].terms
            }
            for name in MASKED
        }
        self._by_name: dict[str, list[tuple[str, str]]] = {}
        for name in MASKED:
            for term in self.lists[name].terms:
                for alias in {term.id, term.label, *term.names}:
                    self._by_name.setdefault(simplify(alias), []).append((name, term.id))
        self._languages: dict[str, str] = {}
        for term in data.languages.terms:
            for alias in {term.id, term.label, *term.names}:
                self._languages[simplify(alias)] = term.id
        self._phrases = [(phrase.lower(), term.id) for term in data.access.terms for phrase in term.phrases]

    def ids(self, vocabulary: str) -> list[str]:
        return list(self.terms[vocabulary])

    def label(self, vocabulary: str, term_id: str) -> str:
        term = self.terms[vocabulary].get(term_id)
        return term.label if term else term_id

    def mask(self, vocabulary: str, term_ids: set[str] | list[str]) -> int:
        """Bits for these terms and everything they cover."""
        reach = self.reach[vocabulary]
        mask = 0
        for term_id in term_ids:
            mask |= reach.get(term_id, 0)
        return mask

    def term_ids(self, vocabulary: str, mask: int) -> list[str]:
        return [term_id for term_id, bit in self.bit[vocabulary].items() if mask & bit]

    def builtin_term(self, term_id: str) -> tuple[str, str] | None:
        """ "ladder-lived-experience:autism" -> ("lived_experience", "autism"), else None."""
        taxonomy, _, code = term_id.partition(":")
        for name in MASKED:
            if taxonomy == taxonomy_name(name) and code in self.terms[name]:
                return name, code
        return None

    def recognise(self, *, taxonomy: str | None, code: str | None, name: str | None) -> list[tuple[str, str]]:
        """The Ladder terms a taxonomy term from any directory stands for: by Ladder taxonomy
        and code, else by its name (exact, ignoring case and punctuation)."""
        for vocabulary in MASKED:
            if taxonomy and simplify(taxonomy) == simplify(taxonomy_name(vocabulary)):
                for candidate in (code, name):
                    if candidate and simplify(candidate).replace(" ", "-") in self.terms[vocabulary]:
                        return [(vocabulary, simplify(candidate).replace(" ", "-"))]
        found: list[tuple[str, str]] = []
        for candidate in (name, code):
            if candidate:
                found += self._by_name.get(simplify(candidate), [])
        return list(dict.fromkeys(found))

    def access_in_text(self, text: str) -> set[str]:
        """Access features named in free text ("Wheelchair accessible; hearing loop")."""
        lowered = text.lower()
        return {term_id for phrase, term_id in self._phrases if phrase in lowered}

    def language_code(self, value: str) -> str | None:
        """ "Welsh", "cym", "cy" -> "cy"; an unknown well-formed code as given; else None."""
        simple = simplify(value)
        if simple in self._languages:
            return self._languages[simple]
        return simple if _LANGUAGE_CODE.match(simple) else None

    def language_label(self, code: str) -> str:
        term = self.terms[LANGUAGES].get(code)
        return term.label if term else code


def _bits(bits: dict[str, int], ids: list[str]) -> int:
    mask = 0
    for term_id in ids:
        mask |= bits[term_id]
    return mask


def load_yaml(name: str) -> Any:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


@cache
def vocabulary() -> Vocabulary:
    return Vocabulary(VocabularyFile.model_validate(load_yaml("vocabulary.yaml")))
