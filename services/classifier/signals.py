"""The signals a description can carry, and their cue patterns, loaded from data and checked.

data/signals.yaml says, for each signal, which words show it and what it means in the
questionnaire's own terms (question and option ids), so a description and a set of
answers are scored by the same rules. This module checks the file against the
questionnaire and compiles the patterns, so a mistake fails at start-up, not in a request.
"""

from __future__ import annotations

import re
from functools import cache, cached_property
from pathlib import Path
from typing import Any, NamedTuple

import ahocorasick
from pydantic import Field, field_validator, model_validator

from services.classifier.datafile import Frozen as _Frozen
from services.classifier.datafile import Source, load_model
from services.classifier.questionnaire import QuestionKind, Questionnaire, ScieValue, load_questionnaire
from services.common.rungs import Rung

DEFAULT_PATH = Path(__file__).with_name("data") / "signals.yaml"
_MACRO = re.compile(r"\{([a-z_]+)\}")
# A skipped word in a cue, written `(?:\w+ )`, is any word, so it also takes a hyphenated
# word or a possessive ("a co-production event", "the council's cabinet").
_GAP_WORD, _ANY_WORD = r"(?:\w+ )", r"(?:[\w'’-]+ )"
# A negation typed without its apostrophe, as people often do: "we didnt pick", "they arent
# involved". Shared with the reader's narrower negation patterns (reading.py).
TYPED_NEGATION = r"(?:are|is|was|were|did|do|does|have|has|had|would|could|should|wo|ca)nt"
# Words that turn a statement round. The reader uses the same list (reading.py).
NEGATION_WORD = re.compile(
    r"\b(?:not|no|never|without|nor|neither|none|nobody|nothing|cannot|rather than|instead of|"
    r"lack of|unable to|failed to|no longer|little or no|"
    # Scots: "I didnae", "they cannae", "it wisnae", "we dinnae", "she disnae".
    r"(?:did|do|does|din|dis|can|could|would|wid|should|will|win|is|was|wis|are|were|have|has|had)nae|"
    r"(?:did|can|win|was|is)na|" + TYPED_NEGATION + r")\b|n't\b"
)


class AnswerRef(_Frozen):
    """One thing a signal says about the questionnaire: `option` of `question` holds (or,
    with `against`, does not hold), with this strength."""

    question: str
    option: str
    strength: float = Field(default=1.0, gt=0, le=1)
    against: bool = False


class Cue(_Frozen):
    pattern: str
    strength: float = Field(default=1.0, gt=0, le=1)
    # Turned round, the cue says nothing, rather than its signal's `negated`: a cue for an act
    # ("signed up", "can come") denied says the act did not happen ("did not sign up", "could
    # not attend"), not the opposite of what the act shows (that taking part was compulsory).
    negated_says_nothing: bool = False

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        return {"pattern": value} if isinstance(value, str) else value


class InContext(_Frozen):
    """What a signal says instead where the rest of the text sets the scene."""

    statement: str
    answers: tuple[AnswerRef, ...]


class Context(_Frozen):
    """A scene the whole text sets: the text answers `question` with `option` (alone, for
    a single-choice question; among others, for a multiple-choice one)."""

    comment: str = Field(min_length=20)
    question: str
    option: str


class Signal(_Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    statement: str
    negated_statement: str | None = None
    comment: str = Field(min_length=20)
    sources: tuple[str, ...] = Field(min_length=1)
    answers: tuple[AnswerRef, ...]
    negated: tuple[AnswerRef, ...] | None = None
    values: tuple[ScieValue, ...] = ()
    # Words that, ending just before the cue in its clause, mean it does not apply; macros
    # may be used, so one reason can be written once and given to several signals.
    unless: str | None = None
    # Words that, found just before the cue with no punctuation between, turn it round as
    # a negation does: "before the design was fixed" says it was not fixed yet.
    turned_by: str | None = None
    # The cue is about how people who use services take part: in a sentence about staff
    # alone ("Staff met in a series of workshops") it says nothing about them.
    about_people: bool = False
    label: Rung | None = None
    points_to: Rung | None = None
    # What the signal says instead in a context the rest of the text sets (see contexts).
    in_context: dict[str, InContext] = Field(default_factory=dict)
    cues: tuple[Cue, ...] = Field(min_length=1)

    @field_validator("statement", "negated_statement")
    @classmethod
    def _sentence(cls, value: str | None) -> str | None:
        if value is not None and not value.endswith("."):
            raise ValueError("a statement is a sentence ending in a full stop")
        return value


class ParticipantVoice(_Frozen):
    """How to tell that the writer is one of the people taking part, and who "we" then is."""

    comment: str = Field(min_length=20)
    cues: tuple[str, ...] = Field(min_length=1)
    people: str  # what {people} also takes in that voice ("we", "i", "some of us")


class SignalBook(_Frozen):
    """Every signal, with its compiled cues (see `compiled`)."""

    version: int
    no_facts_rung: Rung
    # With no facts but the project's own label, how many rungs below the label to report
    # (never below no_facts_rung): a label is weak evidence, so it counts for less than it says.
    label_only_steps_down: int = Field(default=1, ge=1, le=6)
    sources: tuple[Source, ...]
    macros: dict[str, str]
    participant_voice: ParticipantVoice | None = None
    # Scenes a text can set that change what some signals mean, read in this order.
    contexts: dict[str, Context] = Field(default_factory=dict)
    signals: tuple[Signal, ...]

    @cached_property
    def voice_pattern(self) -> re.Pattern[str] | None:
        """Words that show the writer takes part ("I'm one of the carers who..."), if any."""
        if self.participant_voice is None:
            return None
        return re.compile(r"(?<![\w-])(?:" + "|".join(self.participant_voice.cues) + r")(?!\w)")

    @cached_property
    def in_participant_voice(self) -> SignalBook:
        """The same book read as a participant writes: {people} also takes "we" and "I"."""
        if self.participant_voice is None:
            return self
        people = f"(?:{self.participant_voice.people.strip()}|{self.macros['people'].strip()})"
        return SignalBook.model_validate({
            **self.model_dump(exclude={"participant_voice"}),
            "macros": {**self.macros, "people": people},
        })

    @model_validator(mode="after")
    def _consistent(self) -> SignalBook:
        ids = [signal.id for signal in self.signals]
        if len(ids) != len(set(ids)):
            raise ValueError("signal ids repeat")
        source_ids = {source.id for source in self.sources}
        for signal in self.signals:
            unknown = set(signal.sources) - source_ids
            if unknown:
                raise ValueError(f"signal {signal.id}: unknown sources {sorted(unknown)}")
            if signal.label is not None and signal.answers:
                raise ValueError(f"signal {signal.id}: a label is never counted, so it has no answers")
            unknown = set(signal.in_context) - set(self.contexts)
            if unknown:
                raise ValueError(f"signal {signal.id}: unknown contexts {sorted(unknown)}")
            for cue in signal.cues:
                if re.search(r" \)[?*]?$", cue.pattern.rstrip()):
                    # It would need a space and then no word: it could never match a word.
                    raise ValueError(f"signal {signal.id}: cue {cue.pattern!r} ends in a space")
                if re.match(r"[,;:.!?]", cue.pattern):
                    # Every cue must start where no word or hyphen is just before it (see
                    # _compiled_cue), so one that opens with punctuation could never follow a word.
                    raise ValueError(f"signal {signal.id}: cue {cue.pattern!r} opens with punctuation; "
                                     "start at the word and look behind, as in (?<=, )who")
                try:
                    re.compile(self.expand(cue.pattern))
                except re.error as error:
                    raise ValueError(f"signal {signal.id}: bad cue {cue.pattern!r}: {error}") from None
            for extra in (signal.unless and self.expand(signal.unless), signal.turned_by):
                if extra:
                    try:
                        re.compile(extra)
                    except re.error as error:
                        raise ValueError(f"signal {signal.id}: bad pattern {extra!r}: {error}") from None
        if self.participant_voice is not None:
            for cue in self.participant_voice.cues:
                try:
                    re.compile(cue)
                except re.error as error:
                    raise ValueError(f"participant_voice: bad cue {cue!r}: {error}") from None
        return self

    def expand(self, pattern: str) -> str:
        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in self.macros:
                raise ValueError(f"unknown macro {{{name}}} in {pattern!r}")
            return self.macros[name].strip()

        # A macro may use another ({drafted} names {people}), a few levels deep at most.
        expanded = pattern
        for _ in range(3):
            expanded = _MACRO.sub(replace, expanded)
        if _MACRO.search(expanded):
            raise ValueError(f"macros nested too deep in {pattern!r}")
        return expanded.replace(_GAP_WORD, _ANY_WORD)

    def check_against(self, questionnaire: Questionnaire) -> None:
        """Every answer a signal gives must be a real option; `against` only where a
        question takes several options; a signal needs a rung it points to."""
        for name, context in self.contexts.items():
            question = questionnaire.question(context.question)
            if question is None or context.option not in question.option_ids:
                raise ValueError(f"context {name}: no option {context.option} of {context.question}")
        for signal in self.signals:
            instead = (ref for context in signal.in_context.values() for ref in context.answers)
            for ref in (*signal.answers, *(signal.negated or ()), *instead):
                question = questionnaire.question(ref.question)
                if question is None:
                    raise ValueError(f"signal {signal.id}: unknown question {ref.question}")
                if ref.option not in question.option_ids:
                    raise ValueError(f"signal {signal.id}: {ref.question} has no option {ref.option}")
                if ref.against and question.kind is not QuestionKind.MULTIPLE:
                    raise ValueError(f"signal {signal.id}: 'against' needs a multiple-choice question")
            if _points_to(signal, questionnaire) is None:
                raise ValueError(f"signal {signal.id}: say which rung it points to (points_to)")

    @cached_property
    def compiled(self) -> tuple[tuple[Signal, tuple[CompiledCue, ...]], ...]:
        return tuple(
            (signal, tuple(_compiled_cue(self.expand(cue.pattern), cue) for cue in signal.cues))
            for signal in self.signals
        )

    @cached_property
    def lead_scans(self) -> dict[str, LeadScan]:
        """For each macro a cue can start with, how to find every place it starts."""
        scans = {}
        for name in LEAD_MACROS:
            if name not in self.macros:
                continue
            macro = self.expand("{" + name + "}")
            anchors = anchors_of(macro)
            scans[name] = LeadScan(
                pattern=re.compile(r"(?<![\w-])(?=(?:" + macro + r"))"),
                anchors=anchors.strings if anchors else None,
                before=anchors.before if anchors else MAX_MATCH_CHARS,
                after=anchors.after if anchors else MAX_MATCH_CHARS,
                spaces=most_spaces(macro),
            )
        return scans

    @cached_property
    def anchor_finder(self) -> Any:
        """Every anchor of every cue and of every lead macro, in one Aho-Corasick automaton
        that finds all their places in a text in one pass."""
        finder = ahocorasick.Automaton()
        for _, cues in self.compiled:
            for cue in cues:
                for anchor in cue.anchors or ():
                    finder.add_word(anchor, anchor)
        for scan in self.lead_scans.values():
            for anchor in scan.anchors or ():
                finder.add_word(anchor, anchor)
        finder.make_automaton()
        return finder


LEAD_MACROS = ("people", "they", "org")


class LeadScan(NamedTuple):
    """Where a lead macro can start: `pattern` matches (empty) at each such place. Every
    match holds one of `anchors` (None: unknown), starting at most `before` characters
    and `spaces` spaces (None: no limit) ahead of it, and reading at most `after`
    characters beyond its end."""

    pattern: re.Pattern[str]
    anchors: tuple[str, ...] | None
    before: int
    after: int
    spaces: int | None


def _lead_macro(pattern: str) -> str | None:
    match = _MACRO.match(pattern)
    return match.group(1) if match and match.group(1) in LEAD_MACROS else None


class Anchors(NamedTuple):
    """Literal strings one of which every match of a cue contains, and how far a match
    can reach either side of the one it contains."""

    strings: tuple[str, ...]
    before: int  # the most characters a match can take before the anchor's start
    after: int  # the most it can take (or look ahead) after the anchor's end


class CompiledCue(NamedTuple):
    pattern: re.Pattern[str]
    strength: float
    says_negative: bool
    # Literal strings one of which every match contains (None: unknown). The reader skips
    # a cue whose anchors are all absent, and searches only near the ones present, as far
    # before and after each as a match can reach (`before`, `after`): speed only, the
    # same answer.
    anchors: tuple[str, ...] | None
    before: int
    after: int
    # The macro every match starts with ("people", "they", "org"), if any: the reader then
    # tries the cue only where that macro matches.
    lead: str | None
    # No part of the cue can match a full stop, colon and the like (SENTENCE_STOPS): a match
    # never starts before the last one ahead of its anchor.
    in_sentence: bool = False
    negated_says_nothing: bool = False  # see Cue


def _compiled_cue(pattern: str, cue: Cue) -> CompiledCue:
    """`pattern` is the cue with its macros expanded."""
    # Matched against lower-cased text; the edges keep cues to whole words, and a
    # hyphen before a cue is part of a longer word ("co-designed" is not "designed").
    whole = r"(?<![\w-])(?:" + pattern + r")(?!\w)"
    anchors = anchors_of(whole)
    return CompiledCue(
        re.compile(whole),
        cue.strength,
        # A cue written with a negation in it ("were not paid") already means the
        # negative; one that only picks a "not" up in a gap has not.
        says_negative=bool(NEGATION_WORD.search(cue.pattern)),
        anchors=anchors.strings if anchors else None,
        before=min(MAX_MATCH_CHARS, anchors.before) if anchors else MAX_MATCH_CHARS,
        after=min(MAX_MATCH_CHARS, anchors.after) if anchors else MAX_MATCH_CHARS,
        lead=_lead_macro(cue.pattern),
        in_sentence=not _can_match_any(whole, SENTENCE_STOPS),
        negated_says_nothing=cue.negated_says_nothing,
    )


# Punctuation that ends a sentence or a clause: a cue none of whose parts can match one of
# these never reaches across it, so a match starts after the last one before its anchor.
SENTENCE_STOPS = ".;:!?"


def _can_match_any(pattern: str, chars: str) -> bool:
    """Whether some character the pattern consumes could be one of `chars` (lookarounds
    read but do not consume, so they do not count). True on any surprise: speed only."""
    try:
        from re import _constants as c  # type: ignore[attr-defined]
        from re import _parser  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - another Python
        return True

    def can(items: Any) -> bool:
        for op, av in items:
            if op in (c.ANY, c.NOT_LITERAL) or (op is c.LITERAL and chr(av) in chars):
                return True
            if op is c.IN and any(_class_can_match(av, char) for char in chars):
                return True
            if op is c.SUBPATTERN and can(av[-1]):
                return True
            if op is c.BRANCH and any(can(branch) for branch in av[1]):
                return True
            if op in (c.MAX_REPEAT, c.MIN_REPEAT) and can(av[2]):
                return True
        return False

    try:
        return can(_parser.parse(pattern))
    except Exception:  # noqa: BLE001 - speed only: any surprise means "it can"
        return True


def most_spaces(pattern: str) -> int | None:
    """The most spaces (" ") one match of `pattern` can take; None when that has no limit
    or the pattern holds something not understood. Lookarounds read but do not take."""
    try:
        from re import _constants as c  # type: ignore[attr-defined]
        from re import _parser  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - another Python
        return None

    class Unlimited(Exception):
        pass

    def most(items: Any) -> int:
        total = 0
        for op, av in items:
            if op is c.LITERAL:
                total += chr(av) == " "
            elif op is c.NOT_LITERAL:
                total += chr(av) != " "
            elif op is c.ANY:
                total += 1
            elif op is c.IN:
                total += _class_can_match(av, " ")
            elif op is c.SUBPATTERN:
                total += most(av[-1])
            elif op is c.BRANCH:
                total += max(most(branch) for branch in av[1])
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
                _, high, body = av
                each = most(body)
                if each and high == c.MAXREPEAT:
                    raise Unlimited
                total += each * high
            elif op not in (c.ASSERT, c.ASSERT_NOT, c.AT):
                raise Unlimited  # not understood: no limit
        return total

    try:
        return most(_parser.parse(pattern))
    except Exception:  # noqa: BLE001 - speed only: any surprise means "no limit"
        return None


def _class_can_match(items: Any, char: str) -> bool:
    """Whether a parsed character class ([...]) can match `char`; True when not understood."""
    from re import _constants as c  # type: ignore[attr-defined]

    classes = {c.CATEGORY_WORD: r"\w", c.CATEGORY_NOT_WORD: r"\W", c.CATEGORY_SPACE: r"\s",
               c.CATEGORY_NOT_SPACE: r"\S", c.CATEGORY_DIGIT: r"\d", c.CATEGORY_NOT_DIGIT: r"\D"}
    negate = hit = False
    for op, av in items:
        if op is c.NEGATE:
            negate = True
        elif op is c.LITERAL:
            hit = hit or chr(av) == char
        elif op is c.RANGE:
            hit = hit or av[0] <= ord(char) <= av[1]
        elif op is c.CATEGORY and av in classes:
            hit = hit or re.fullmatch(classes[av], char) is not None
        else:
            return True  # not understood: it can
    return hit != negate


# No cue matches more than this many characters either side of its anchor (a subject, up
# to 140 characters in between, a verb and an object).
MAX_MATCH_CHARS = 300
# For the longest match, an unbounded run of letters counts as a long word, and of spaces
# or punctuation as a long gap; text with longer runs is still read, cue by cue, in full.
_LONGEST_WORD, _LONGEST_GAP = 25, 20
_COMMON_WORDS = frozenset(
    "a an and are as at be been but by for from had has have he her his in is it its not of on "
    "or our she that the their them they this to was we were which who will with you".split()
)


def _width(op: Any, av: Any) -> int:
    """The most characters one parsed item can read from where it starts, if letter runs
    are words of at most _LONGEST_WORD and other runs at most _LONGEST_GAP."""
    return _extent(op, av)[1]


def _extent(op: Any, av: Any) -> tuple[int, int]:
    """(takes, reads): the most characters one parsed item can consume, and the most it can
    read from where it starts. They differ by lookaheads, which read but do not consume: a
    cue that opens with one ("{gained}told us") still starts where "told" does."""
    from re import _constants as c  # type: ignore[attr-defined]

    if op in (c.LITERAL, c.NOT_LITERAL, c.ANY, c.IN):
        return 1, 1
    if op is c.SUBPATTERN:
        return _sequence_extent(av[-1])
    if op is c.BRANCH:
        extents = [_sequence_extent(branch) for branch in av[1]]
        return max(e[0] for e in extents), max(e[1] for e in extents)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT):
        _, high, body = av
        each, reads = _sequence_extent(body)
        if high == c.MAXREPEAT:
            letters = any(kind is c.IN and _is_word_class(arg, c) for kind, arg in body)
            high = _LONGEST_WORD if letters and each == 1 else _LONGEST_GAP if each == 1 else 8
        return each * high, (each * (high - 1) + reads) if high else 0
    if op in (c.ASSERT, c.ASSERT_NOT) and av[0] == 1:
        # A lookahead takes no width, but it reads the text after it: the window searched
        # must reach that far ("by(?! the tenants)").
        return 0, _sequence_extent(av[1])[1]
    return 0, 0  # other assertions (lookbehinds, \b) take no width and read behind


def _sequence_extent(items: Any) -> tuple[int, int]:
    takes = reads = 0
    for item in items:
        item_takes, item_reads = _extent(*item)
        reads = max(reads, takes + item_reads)
        takes += item_takes
    return takes, max(reads, takes)


def _is_word_class(items: Any, constants: Any) -> bool:
    return any(op is constants.CATEGORY and av is constants.CATEGORY_WORD for op, av in items)


def anchors_of(pattern: str) -> Anchors | None:
    """Literal strings one of which every match of `pattern` must contain, read from the
    parsed regular expression, with how far a match reaches either side of them; None
    when none can be found. Uses the standard library's regular expression parser
    (re._parser, Python 3.11), so it fails safe: on any error the cue is simply always
    searched."""
    try:
        from re import _constants, _parser  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - another Python
        return None

    def pick(candidates: list[Anchors]) -> Anchors | None:
        def weak(found: tuple[str, ...]) -> bool:
            return any(len(x.strip()) < 3 or x.strip() in _COMMON_WORDS for x in found)

        pool = [c for c in candidates if c.strings and not weak(c.strings)]
        pool = pool or [c for c in candidates if c.strings and min(len(x) for x in c.strings) >= 2]
        return min(pool, key=lambda c: (len(c.strings), -min(len(x) for x in c.strings))) if pool else None

    def sequence(items: Any) -> list[Anchors]:
        """Each item's anchors, with its reach measured to the ends of the sequence."""
        extents = [_extent(op, av) for op, av in items]
        # Where the sequence's reading ends, lookaheads included, measured from its start.
        total = _sequence_extent(items)[1]
        at, run, candidates = 0, "", []
        for (op, av), (takes, width) in zip(items, extents, strict=True):
            if op is _constants.LITERAL:
                run += chr(av)
                at += 1
                continue
            if run:
                candidates.append(Anchors((run,), at - len(run), total - at))
                run = ""
            found = node(op, av, width)
            if found is not None:
                candidates.append(Anchors(found.strings, at + found.before, total - at - width + found.after))
            at += takes
        if run:
            candidates.append(Anchors((run,), at - len(run), total - at))
        return candidates

    def node(op: Any, av: Any, width: int) -> Anchors | None:
        if op is _constants.SUBPATTERN:
            return pick(sequence(av[-1]))
        if op is _constants.BRANCH:
            union: set[str] = set()
            before = after = 0
            for branch in av[1]:
                found = pick(sequence(branch))
                if found is None:
                    return None
                union.update(found.strings)
                before, after = max(before, found.before), max(after, found.after)
            return Anchors(tuple(union), before, after)
        if op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT) and av[0] >= 1:
            found = pick(sequence(av[2]))
            if found is None:
                return None
            # In any of the repeats: the others may come before or after it.
            others = width - sum(_width(*item) for item in av[2])
            return Anchors(found.strings, found.before + others, found.after + others)
        return None

    try:
        found = pick(sequence(_parser.parse(pattern)))
    except Exception:  # noqa: BLE001 - speed only: any surprise means "always search"
        return None
    return found._replace(strings=tuple(sorted(set(found.strings)))) if found else None


def _points_to(signal: Signal, questionnaire: Questionnaire) -> Rung | None:
    if signal.points_to is not None:
        return signal.points_to
    if signal.label is not None:
        return signal.label
    for ref in signal.answers:
        if not ref.against:
            question = questionnaire.question(ref.question)
            fact = question.fact_for(frozenset([ref.option])) if question else None
            if fact is not None:
                return fact.best_rung
    return None


def points_to(signal: Signal, questionnaire: Questionnaire) -> Rung:
    rung = _points_to(signal, questionnaire)
    assert rung is not None  # checked on load  # noqa: S101
    return rung


class SignalsError(ValueError):
    pass


@cache
def load_signals(path: Path = DEFAULT_PATH) -> SignalBook:
    """Load and check the signals against the default questionnaire; an app built with
    another questionnaire checks them against that one too (see Reader)."""
    book = load_model(path, SignalBook, SignalsError)
    try:
        book.check_against(load_questionnaire())
    except ValueError as error:
        raise SignalsError(f"{path}: {error}") from error
    return book
