"""Read a description: find the signals it carries, with the words that show each, and
turn them into answers to the questionnaire.

Rule-based, offline and deterministic. Each signal's cues come from data/signals.yaml.
A cue's meaning flips when it is negated in its clause ("were not involved in delivery")
and weakens when it is only hoped for ("we hope to pay people"). A project's own label
("our co-production project") is found and reported, but never counted.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace

from services.classifier.questionnaire import Question, QuestionKind, Questionnaire, ScieValue
from services.classifier.signals import (
    NEGATION_WORD,
    SENTENCE_STOPS,
    TYPED_NEGATION,
    AnswerRef,
    CompiledCue,
    LeadScan,
    Signal,
    SignalBook,
    points_to,
)
from services.common.rungs import RUNGS_BOTTOM_UP, Rung

# Where a clause ends, so negation and hedges do not reach across it.
_CLAUSE_BREAK = re.compile(
    r"[.;:!?\n\u2022]|\s[-\u2013\u2014]\s|\b(?:but|however|although|though|whereas|while|yet|unlike)\b"
    r"|,\s*(?:so|which|who|and then|then)\b"
    # A new item of a list that starts with a question word ("why X does not work, how to
    # manage it") is its own clause: a negation in one item does not reach the next.
    r"|,\s*(?=(?:how|why|when|where)\b)"
    # ", and" starts a new clause when a new subject follows; in a list ("planning, design,
    # and delivery") it does not, so a negation still reaches the whole list.
    r"|,\s*and\s+(?=(?:you|we|they|he|she|it|i|the|our|their|people|staff|everyone)\b)"
)
# Words that turn the cue after them round; "not only" and the like do not.
_NEGATOR = NEGATION_WORD
_NOT_A_NEGATION = re.compile(
    r"\b(?:not only|not just|not least|no doubt|not merely|not simply|not negotiable)\b"
    # "We don't just consult people, we decide jointly": as "not just".
    r"|\b(?:do|does|did)(?: not|n't|n’t|nt) (?:just|only|simply|merely)\b"
    # "Not every member was paid for their time": some were.
    r"|\bnot (?:all|every|everyone|everybody|everything)\b"
    # "It's not easy sharing power, but we do": hard, not absent.
    r"|\bnot (?:always |very |particularly |so |that )?easy\b"
    # Thanks as a double negative: "this report would not have been possible without the
    # peer researchers", "we couldn't have done it without our co-researchers".
    r"|\b(?:would|could|might)(?: not|n't|n’t| never) have (?:[\w'’-]+ ){0,5}?without\b"
    # "missed sessions without a good reason will be reported": a qualifier, not a negation.
    r"|\bwithout (?:an? |any )?(?:good |agreed |valid |acceptable |reasonable )?(?:reason|excuse|cause)\b"
    # Both sides of a contrast: "explains what a stroke is and is not, and gives tips".
    r"|\b(?:is|are|was|were|does|do|did|can|could|will|would) and "
    r"(?:is|are|was|were|does|do|did|can|could|will|would)(?: not|n't|n’t|nt|not)\b"
)
# Not knowing, or not being told that something was so, leaves it so: "we didn't realise
# attendance was compulsory"; "residents were not told that the plans had already been
# approved" (round 26). Only before a cue: a cue's own words "were not told that" still say
# people were not told, and "not told what changed" is not told.
_FACTIVE_NEGATION = re.compile(
    r"(?:\bnot|\bnever|n't|n’t|\b" + TYPED_NEGATION + r"|\bno one|\bnobody)\s+"
    r"(?:yet |even |ever |fully |really )?"
    r"(?:know|knew|known|realise|realised|realize|realized|aware|find out|found out|notice|noticed|"
    r"understand|understood)\b"
    r"|(?:\bnot|\bnever|n't|n’t|\bno one|\bnobody)\s+(?:told|informed|said|mentioned)\b"
    r"(?:\s+(?:us|them|people|residents|anyone|members|parents|tenants))?\s+(?:[\w'’-]+\s+){0,3}?(?:that|until)\b"
)
# A relative clause with its own negated verb, ending where the cue starts: "carers who were
# unable to attend gave their views by phone", "parents who did not attend the court-ordered
# sessions". The negation is the clause's, about those people; the cue is the sentence's own.
# Not when the cue is the clause's verb ("residents who were not asked for their views"), nor
# past a word that only qualifies it ("who were never properly paid", "who had not yet been").
_NEGATED_RELATIVE = re.compile(
    r"\b(?:who|whom|whose)\s+(?:[\w'’-]+\s+){0,3}?"
    r"(?:not|never|no longer|unable to|n't|n’t|" + TYPED_NEGATION + r")\s+"
    r"(?!(?:be|been|being|yet|ever|always|even|really|fully|actually|at all|quite)\b)(?![\w'’-]+ly\b)"
    r"[\w'’-]+\s+(?:[\w'’-]+\s+){0,4}$"
)
# Words that make the cue after them an intention or a wish, not a fact.
_HEDGE = re.compile(
    r"\b(?:hope|hopes|hoped|hoping|aim to|aims to|aiming to|plan to|plans to|planning to|"
    r"intend|intends|intended|would like|want to|wants to|wanted to|should|might|ambition|"
    r"aspire|aspires|aspiration|where possible|if funding|subject to funding|in future|"
    r"in the future|eventually|ideally|considering|consider|exploring|explore|looking into|"
    r"propose to|proposes to|would be|if funded|if successful|we believe|believe that|believe in|believes in|"
    # A statement of values is not a fact: "we are committed to sharing power".
    r"committed to|commitment to|commits to|pledged to|pledges to|our values|ethos|"
    # "we want residents to help shape": a wish about what others will do.
    r"want \w+ to|wants \w+ to|"
    # An expectation, often one let down: "I went, thinking we'd have a say".
    r"(?:thinking|thought|expecting|assuming|assumed) (?:we|i|they)(?:'d|’d| would| were going to))\b|"
    r"(?<![A-Za-z])may\b"
)
# Words that frame the rest of their clause, however long, as aims, principles or what
# guidance says, not as what the project did: "the Plan sets out an ambition for people to
# be equal partners ... with decisions made jointly from the start".
_FRAME = re.compile(
    r"\b(?:ambitions?|aspirations?|vision (?:for|of|is)|principles? of|what good looks like|"
    r"at the heart of|"
    # An indirect question is not a fact: "Asked whether participants had been told how
    # their comments had been used, officers said ...".
    r"(?:asked|asking|asks|ask|wondered|wondering|wonder) (?:whether|if)|"
    # What the writers mean to do next: "we plan to seek funding for a study with a
    # patient advisory group from the outset".
    r"(?:we|they|i)(?: also| now| then)? (?:plan|intend|hope|aim) to|"
    # A recommendation, not what was done: "The provider should make sure that people are
    # involved in decisions ... This should include seeking people's views".
    r"should (?:make sure|ensure|include|consider|involve|seek|start|begin|think about|set out|"
    r"report|publish|explain|describe|tell|develop|establish|put in place|agree|review)|"
    # What a practice means in general, not what this project did: "the usual definition of
    # co-production, in which power is shared"; "Full EBCD involves patients designing".
    r"definitions? of|(?:full|true|genuine|real|proper) (?:co-production|co-design|experience-based "
    r"co-design|ebcd) (?:involves|means|requires|would)|"
    r"(?:guidance|framework|plan|strategy|policy|act|standards?|legislation|statements?|charter|model|"
    r"white paper|toolkit) (?:[\w'’-]+ ){0,3}?(?:states?|says|requires|sets? out|calls? for|expects|"
    r"envisages|describes?|emphasi[sz]es|recogni[sz]es|promotes|commits|asks))\b"
)
# A comma and a new subject start a new clause for negations, hedges and frames: "In line
# with the principles of co-production, residents designed the garden" is a fact, and in
# "No referral is needed, and learners may leave at any time" the "no" is the referral's;
# in "Nobody's made to come, it's up to them" the "nobody" is the first clause's.
_NEW_SUBJECT = re.compile(
    r",\s*(?:and\s+|but\s+)?(?=(?:we|they|i|you|he|she|it|residents|patients|tenants|parents|carers|members|"
    r"participants|staff|officers|volunteers|pupils|students|learners|families|users|service users|"
    r"young people|children|people|"
    # A count of people as the new subject: ", and six of us designed it", ", and two tenants sit".
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|some|all|most|several|"
    r"many|a few) (?:of (?:us|them|the)\b|[\w'’-]+))\b)"
    r"|\band that\b"
)
NEGATION_WINDOW_WORDS = 6  # how far back a negator reaches within the clause
# These negate the words right after them ("without consulting"), not a verb further on
# ("missing sessions without a reason counts against their order").
_SHORT_NEGATOR = re.compile(r"\b(?:without|nor|neither|instead of|rather than|lack of)\b")
SHORT_NEGATION_WORDS = 2
# "decided it should be rewritten" reports a decision, not a wish.
_NOT_A_HEDGE = re.compile(
    r"\b(?:decided|decide|decides|agreed|agree|agrees|resolved|insisted|chose)\b(?:\s+\S+){0,4}?\s+should\b"
    # The month, not a maybe: "In May the team sent out a survey", "by 3 May 2025".
    # (Not when a verb follows: "the 12 may be paid" is a maybe.)
    r"|\b(?:(?:in|of|since|until|from|by|during|mid|last|next|\d{1,2}(?:st|nd|rd|th)?)\s+may\b|may\s+\d)"
    r"(?!\s+(?:be|been|have|not|also|well|still|only|need|want|wish|choose|ask|include|involve|take|get|"
    r"feel|find|lead|result|face|receive|attend|join|apply|help|use|go|come|see|prefer|decide|mean|change|"
    r"vary|offer|pay|hold|set|make|do|require|affect|benefit|contact|book|leave|bring|continue)\b)"
)
HEDGE_WINDOW_WORDS = 10
# An intention after the cue qualifies it only close by: "paid for their time in future", not
# another item of a long list ("explained the decision, ... and how care will be arranged in future").
HEDGE_AFTER_WORDS = 8
# A condition or intention that opens the clause governs all of it, however long:
# "If funded, we plan to recruit a co-applicant and set up an advisory group".
_HEDGE_OPENER = re.compile(
    r"\s*(?:if (?:funded|successful|funding (?:is|was) (?:secured|found|agreed)|approved"
    r"|the bid is successful)|subject to (?:funding|approval)|in (?:the )?future|next year"
    r"|in (?:a|the) (?:next|second|future) (?:phase|stage|round))\b"
)
# An intention can also follow the words it qualifies, in the same clause: "people will
# be paid for their time in future", "peer trainers, once funding allows".
_HEDGE_AFTER = re.compile(
    # "next year's vote" is a date set, not an intention.
    r"\b(?:in (?:the )?future|eventually|one day|at some point|next year(?!['’]s)|if funding|once funding|"
    r"when funding|subject to funding|where possible|if possible|funding permitting)\b"
)
# How far back a `turned_by` word reaches: it must govern the cue, with no punctuation between.
TURNED_BY_WORDS = 6
_SENTENCE_BREAK = re.compile(r"[.!?\n\u2022]")
_STOPS = re.compile("[" + re.escape(SENTENCE_STOPS) + "]")
_REPORTING = (r"\s+(?:\w+\s+)?(?:said|says|explained|explains|reported|reports|noted|notes|stated|states|"
              r"confirmed|confirms|added|told|tells|announced|argued|believes?|thinks?|felt|feels?)\b")
# "It" or "there" as a sentence's subject (not "we", "he" or "she", who may be staff);
# "IT staff" is a department, not "it".
_PRONOUN_SUBJECT = (r"(?:it|there)\b"
                    r"(?!\s+(?:team|teams|department|staff|services?|officers?)\b)")
# A pronoun that may stand for the people taking part: a sentence with one is not about staff alone.
_PEOPLE_PRONOUN = re.compile(r"\b(?:they|them|their|us|you|i)\b")
HEDGE_FACTOR = 1 / 3  # an intention counts at a third of a fact
FRAME_FACTOR = 0.0  # what guidance says or a project aspires to is not a fact about it at all
REPEAT_FACTOR = 0.5  # a signal's further mentions count at half
DOMINANCE = 0.5  # multiple choice: keep options with at least half the strongest support
FIRM_SUPPORT = 1.0  # ... and always those said firmly at least once
_WORDS_BACK = re.compile(r"\S+\s*$")


@dataclass(frozen=True)
class Finding:
    """One signal found in the description."""

    signal: Signal
    start: int
    end: int
    quote: str
    negated: bool
    hedged: bool
    strength: float
    answers: tuple[AnswerRef, ...]  # what it says, after negation
    points_to: Rung
    context: str | None = None  # the scene, set by the rest of the text, that changed its answers
    says_nothing: bool = False  # turned round, it answers nothing (signals.Cue.negated_says_nothing)

    @property
    def statement(self) -> str:
        if self.negated and self.says_nothing:
            return f"Said not to have happened, which settles nothing: {self.signal.statement}"
        if self.negated:
            return self.signal.negated_statement or f"Not the case: {self.signal.statement}"
        if self.context is not None:
            return self.signal.in_context[self.context].statement
        return self.signal.statement

    @property
    def values(self) -> tuple[ScieValue, ...]:
        return () if self.negated or self.hedged else self.signal.values


@dataclass(frozen=True)
class TextAnswer:
    """What the description says about one question."""

    question: Question
    options: tuple[str, ...]  # empty when the text only rules options out
    strength: float  # 0-1: how firmly the text says it
    findings: tuple[Finding, ...]  # the findings that support it
    ruled_out: tuple[str, ...] = ()  # multiple choice: options the text says do not hold
    ruling_out: tuple[Finding, ...] = ()  # the findings that say so


@dataclass(frozen=True)
class Reading:
    findings: tuple[Finding, ...]
    answers: dict[str, TextAnswer] = field(default_factory=dict)
    no_facts_rung: Rung = Rung.INFORMING  # what to report when the text says nothing usable
    label_only_steps_down: int = 1  # with no facts but a label: this far below the label

    @property
    def labels(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.signal.label is not None and not f.negated)

    @property
    def self_label(self) -> Rung | None:
        """The highest rung the project calls itself, if it uses such a word."""
        return max((f.signal.label for f in self.labels if f.signal.label), default=None)

    @property
    def rung_without_facts(self) -> Rung:
        """What to report when the text carries no fact the questionnaire can hold: below
        the project's own label (weak evidence, so it counts for less than it claims), or,
        with no label, no_facts_rung. Never below no_facts_rung, never the label itself."""
        label = self.self_label
        if label is None:
            return self.no_facts_rung
        below = RUNGS_BOTTOM_UP[max(0, label.position - self.label_only_steps_down)]
        return max(below, self.no_facts_rung)


class Reader:
    def __init__(self, book: SignalBook, questionnaire: Questionnaire) -> None:
        book.check_against(questionnaire)
        self.book = book
        self.questionnaire = questionnaire
        # Within a signal, a firmer cue reads the words first: a weak, general cue must not
        # take the words of a firm one (the order of the file otherwise, most specific first).
        self._compiled = _firmest_first(book.compiled)
        # Written by someone who takes part, "we" are people who use services: the same
        # signals, with {people} taking "we" and "I" (see participant_voice in signals.yaml).
        self._voiced = book.in_participant_voice
        self._compiled_voiced = _firmest_first(self._voiced.compiled)
        unless = {s.id: book.expand(s.unless) for s in book.signals if s.unless}
        self._unless = {id_: re.compile(u if u.endswith("$") else u + "$") for id_, u in unless.items()}
        self._points = {s.id: points_to(s, questionnaire) for s in book.signals}
        within_reach = r"\s+(?:[\w'’-]+\s+){0," + str(TURNED_BY_WORDS - 1) + r"}$"
        self._turned_by = {s.id: re.compile(r"(?:" + s.turned_by + r")" + within_reach)
                           for s in book.signals if s.turned_by}
        self._about_people = frozenset(s.id for s in book.signals if s.about_people)
        # Staff as the subject, unless they only report what happened ("Officers said that").
        # A sentence opening with a pronoun has it as its subject, whatever staff it names
        # later ("It meets the Governor monthly").
        self._staff_subject = re.compile(
            r"\s*(?!" + _PRONOUN_SUBJECT + r")(?:" + book.expand("{org}") + r")(?!\w)(?!" + _REPORTING + r")"
        )
        self._people = {
            voiced: re.compile(r"(?<![\w-])(?:" + b.expand("{people}") + r")(?!\w)")
            for voiced, b in ((False, book), (True, self._voiced))
        }

    def read(self, text: str) -> Reading:
        lowered = _lower_same_length(text)
        breaks = [m.end() for m in _CLAUSE_BREAK.finditer(lowered)]
        voiced = self.book.voice_pattern is not None and self.book.voice_pattern.search(lowered)
        book, compiled = (self._voiced, self._compiled_voiced) if voiced else (self.book, self._compiled)
        places = _Places(lowered, book)
        present = places.present
        sentences = [0, *(m.end() for m in _SENTENCE_BREAK.finditer(lowered))]
        staff_only: dict[int, bool] = {}  # sentence start: whether it is about staff alone
        findings: list[Finding] = []
        for signal, cues in compiled:
            taken: list[tuple[int, int]] = []
            for cue in cues:
                if cue.anchors is not None and present.isdisjoint(cue.anchors):
                    continue  # none of the words every match needs is in the text
                for match in _matches(cue, lowered, places):
                    start, end = match.span()
                    if any(start < e and s < end for s, e in taken):
                        continue  # the same words, found by another cue of this signal
                    if signal.id in self._about_people and self._about_staff_alone(
                            lowered, sentences, start, staff_only, bool(voiced)):
                        continue
                    finding = self._finding(signal, text, lowered, breaks, start, end, cue)
                    if finding is not None:
                        taken.append((start, end))
                        findings.append(finding)
        findings = _without_echoes(findings)
        findings.sort(key=lambda f: (f.start, f.end, f.signal.id))
        answers = self._answers(findings)
        # A scene the whole text sets changes what some signals say: "in response, we changed
        # the letters" after a single meeting is the organisation deciding after listening.
        for name, context in self.book.contexts.items():
            said = answers.get(context.question)
            if said is None or context.option not in said.options:
                continue
            changed = [self._in_context(f, name) for f in findings]
            if any(new is not old for new, old in zip(changed, findings, strict=True)):
                findings = changed
                answers = self._answers(findings)
        return Reading(findings=tuple(findings), answers=answers,
                       no_facts_rung=self.book.no_facts_rung,
                       label_only_steps_down=self.book.label_only_steps_down)

    def _in_context(self, finding: Finding, context: str) -> Finding:
        instead = finding.signal.in_context.get(context)
        if instead is None or finding.negated or finding.context is not None:
            return finding
        return replace(finding, answers=instead.answers, context=context,
                       points_to=self._points_of(instead.answers, finding.points_to))

    def _points_of(self, answers: tuple[AnswerRef, ...], otherwise: Rung) -> Rung:
        """The rung the first answer's fact fits best, if it is a fact."""
        if not answers or answers[0].against:
            return otherwise
        question = self.questionnaire.question(answers[0].question)
        fact = question.fact_for(frozenset([answers[0].option])) if question else None
        return fact.best_rung if fact else otherwise

    def _about_staff_alone(self, lowered: str, sentences: list[int], at: int,
                           known: dict[int, bool], voiced: bool) -> bool:
        """Whether the sentence holding `at` has staff as its subject and names nobody who
        uses services ("Clinicians met in a series of workshops")."""
        start = sentences[bisect_right(sentences, at) - 1]
        if start not in known:
            following = bisect_right(sentences, at)
            end = sentences[following] if following < len(sentences) else len(lowered)
            sentence = lowered[start:end]
            known[start] = bool(
                self._staff_subject.match(sentence)
                and not self._people[voiced].search(sentence)
                and not _PEOPLE_PRONOUN.search(sentence)
            )
        return known[start]

    def _finding(
        self, signal: Signal, text: str, lowered: str, breaks: list[int], start: int, end: int,
        cue: CompiledCue,
    ) -> Finding | None:
        clause_start = breaks[bisect_right(breaks, start) - 1] if breaks and breaks[0] <= start else 0
        before = lowered[clause_start:start]
        unless = self._unless.get(signal.id)
        if unless is not None and unless.search(before):
            return None
        # A cue written as a negative ("were not paid", for `unpaid`) is not turned round
        # again; any other cue is, by a negation before it or caught inside its words.
        turned = self._turned_by.get(signal.id)
        own = lowered[_own_clause_start(lowered, clause_start, start):start]
        negated = (not cue.says_negative and (_negates(_without_asides(lowered[start:end]))
                                              or _negated_before(_without_asides(own)))) or (
            turned is not None and turned.search(before) is not None
        )
        following = bisect_right(breaks, end)
        clause_end = breaks[following] if following < len(breaks) else len(lowered)
        framed = bool(_FRAME.search(own)) or _frames_its_list(lowered, breaks, clause_start, _FRAME)
        after = " ".join(lowered[end:clause_end].split()[:HEDGE_AFTER_WORDS])
        hedged = framed or bool(_hedges(_last_words(own, HEDGE_WINDOW_WORDS))
                                or _HEDGE_AFTER.search(after)
                                or _HEDGE_OPENER.match(before)
                                or _frames_its_list(lowered, breaks, clause_start, _HEDGE))
        if negated:
            if cue.negated_says_nothing:
                answers = ()  # an act denied: reported, but it says nothing (signals.Cue)
            elif signal.negated is not None:
                answers = signal.negated
            elif all(self.questionnaire.question(a.question).kind is QuestionKind.MULTIPLE  # type: ignore[union-attr]
                     for a in signal.answers):
                answers = tuple(a.model_copy(update={"against": not a.against}) for a in signal.answers)
            else:
                answers = ()  # reported, but it says nothing the questionnaire can hold
        else:
            answers = signal.answers
        points = self._points[signal.id]
        if negated:
            points = self._points_of(answers, points)
        return Finding(
            signal=signal, start=start, end=end, quote=text[start:end], negated=negated,
            hedged=hedged,
            strength=round(cue.strength * (FRAME_FACTOR if framed else HEDGE_FACTOR if hedged else 1.0), 3),
            answers=answers, points_to=points, says_nothing=negated and cue.negated_says_nothing,
        )

    def _answers(self, findings: list[Finding]) -> dict[str, TextAnswer]:
        """Weigh what the findings say about each question. Single choice: the option with
        the most support wins (a tie goes to the option whose fact sits lower, so doubt
        never lifts a project). Multiple choice: options supported more than ruled out."""
        # A signal said again adds less than a new signal: each signal counts at its
        # strongest mention plus half of its others, so one word repeated ("course",
        # "course", "course") does not outweigh different facts.
        mentions: dict[tuple[str, str, str, bool], list[float]] = {}
        backing: dict[tuple[str, str, bool], list[Finding]] = {}
        for finding in findings:
            if not finding.strength:
                continue  # framed as an aim or a principle: not a fact about the project
            for ref in finding.answers:
                key = (finding.signal.id, ref.question, ref.option, ref.against)
                mentions.setdefault(key, []).append(finding.strength * ref.strength)
                backing.setdefault((ref.question, ref.option, ref.against), []).append(finding)
        support: dict[str, dict[str, float]] = {}
        against: dict[str, dict[str, float]] = {}
        for (_, question_id, option, is_against), strengths in mentions.items():
            top = max(strengths)
            per_question = (against if is_against else support).setdefault(question_id, {})
            counted = top + REPEAT_FACTOR * (sum(strengths) - top)
            per_question[option] = per_question.get(option, 0.0) + counted
        answers: dict[str, TextAnswer] = {}
        for question in self.questionnaire.questions:
            pro = support.get(question.id, {})
            con = against.get(question.id, {})
            ruled_out: tuple[str, ...] = ()
            if question.kind is QuestionKind.SINGLE:
                if not pro:
                    continue
                winner = min(pro, key=lambda o: (-pro[o], _fact_rung(question, o).position))
                total = sum(pro.values())
                options: tuple[str, ...] = (winner,)
                strength = min(1.0, pro[winner]) * pro[winner] / total
            else:
                if not pro and not con:
                    continue
                net = {o: pro.get(o, 0.0) - con.get(o, 0.0) for o in question.option_ids}
                # Only what the text says firmly: an option far weaker than the strongest
                # is a passing mention ("a course" in a description of a design group). A
                # fact said once, firmly (support 1), is not a passing mention because
                # another is said many times ("peer researchers" in every sentence).
                strongest = min(FIRM_SUPPORT / DOMINANCE, max(net.values()))
                options = tuple(o for o in question.option_ids
                                if net[o] > 0 and net[o] >= DOMINANCE * strongest)
                ruled_out = tuple(o for o in question.option_ids if 0 < con.get(o, 0.0) >= pro.get(o, 0.0))
                # With only ruled-out options, what people do instead is unknown: no answer.
                strength = min(1.0, max((pro[o] - con.get(o, 0.0) for o in options), default=0.0))
            answers[question.id] = TextAnswer(
                question=question, options=options, strength=round(strength, 3),
                findings=tuple(f for o in options for f in backing.get((question.id, o, False), [])),
                ruled_out=ruled_out,
                ruling_out=tuple(f for o in ruled_out for f in backing.get((question.id, o, True), [])),
            )
        return answers


class _Places:
    """Where each anchor string occurs, and where each subject macro starts, in one text:
    found once, shared by every cue."""

    def __init__(self, lowered: str, book: SignalBook) -> None:
        self.text = lowered
        self._lead_scans = book.lead_scans
        self._starts: dict[str, list[int]] = {}
        # Where each anchor of the signal book occurs, found in one pass over the text.
        found: dict[str, list[int]] = {}
        for end, anchor in book.anchor_finder.iter(lowered):
            found.setdefault(anchor, []).append(end - len(anchor) + 1)
        self._found = found
        self.present = frozenset(found)
        # Where each full stop, colon and the like is; -1 first, so every place has one before it.
        self.stops = [-1, *(m.start() for m in _STOPS.finditer(lowered))]

    def starts(self, macro: str) -> list[int]:
        found = self._starts.get(macro)
        if found is None:
            found = self._scan(self._lead_scans[macro])
            self._starts[macro] = found
        return found

    def _scan(self, lead: LeadScan) -> list[int]:
        """Every place the lead macro starts, as a scan of the whole text finds them, found
        by trying only the stretches before its anchors that a match can start in."""
        text, found = self.text, self._found
        if lead.anchors is None:
            return [m.start() for m in lead.pattern.finditer(text)]
        # Per anchor: the first and last place a match holding it can start, and how far
        # that match can read.
        reaches = sorted(
            [self._reach_back(at, lead), at, at + len(anchor) + lead.after]
            for anchor in lead.anchors for at in found.get(anchor, ())
        )
        merged: list[list[int]] = []
        for reach in reaches:
            if merged and reach[0] <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], reach[1])
                merged[-1][2] = max(merged[-1][2], reach[2])
            else:
                merged.append(reach)
        if sum(last - first for first, last, _ in merged) * 3 > len(text):
            # Trying a third of the text in pieces costs more than one scan of it all.
            return [m.start() for m in lead.pattern.finditer(text)]
        starts: list[int] = []
        for first, last, end in merged:
            for match in lead.pattern.finditer(text, first, min(end, len(text))):
                if match.start() > last:
                    break
                starts.append(match.start())
        return starts

    def _reach_back(self, at: int, lead: LeadScan) -> int:
        """The first place a match holding the anchor at `at` can start: no further back
        than past the most spaces a match can take (exact, whatever the words' length),
        or else than `before` characters."""
        if lead.spaces is None:
            return at - lead.before if at > lead.before else 0
        space = at
        for _ in range(lead.spaces + 1):
            space = self.text.rfind(" ", 0, space)
            if space == -1:
                return 0
        return space + 1

    def windows(self, cue: CompiledCue) -> list[list[int]]:
        """Around each place one of the cue's anchors occurs: the first and last place a
        match holding it can start, and the furthest its search can need to read (the hot
        path). Every anchor of the book was looked for when the text was first read."""
        found, out, before, after = self._found, [], cue.before, cue.after
        for anchor in cue.anchors or ():
            places = found.get(anchor)
            if places:
                size = len(anchor) + after
                out.extend([at - before if at > before else 0, at, at + size] for at in places)
        if cue.in_sentence and out:
            # No match reaches back across a full stop or a colon.
            stops = self.stops
            for window in out:
                stop = stops[bisect_left(stops, window[1]) - 1] + 1
                if stop > window[0]:
                    window[0] = stop
        return out


def _matches(cue: CompiledCue, lowered: str, places: _Places) -> list[re.Match[str]]:
    """The cue's matches, as finditer would find them in the whole text, searching only
    near its anchors: every match holds one, and starts no further before it than the
    cue's `before` and ends no further after it than its `after`."""
    if cue.anchors is None:
        return list(cue.pattern.finditer(lowered))
    windows = places.windows(cue)
    if not windows:
        return []
    windows.sort()
    found: list[re.Match[str]] = []
    if cue.lead is None and cue.before > 0:
        # Search each stretch of text, stretches that overlap joined into one.
        merged = [windows[0]]
        for start, _, end in windows[1:]:
            if start <= merged[-1][2]:
                merged[-1][2] = max(merged[-1][2], end)
            else:
                merged.append([start, 0, end])
        for start, _, end in merged:
            for match in cue.pattern.finditer(lowered, start, min(end, len(lowered))):
                if not found or match.start() >= found[-1].end():
                    found.append(match)
        return found
    # Every match starts where its subject does (`lead`) or at the anchor itself (no
    # `before`): try only there, left to right, as finditer would.
    starts = places.starts(cue.lead) if cue.lead is not None else None
    first, last, end = windows[0]
    for window in [*windows[1:], None]:
        if window is not None and window[0] <= last:  # the same places: join them
            last, end = max(last, window[1]), max(end, window[2])
            continue
        end = min(end, len(lowered))
        for at in (starts[bisect_left(starts, first):bisect_right(starts, last)]
                   if starts is not None else range(first, last + 1)):
            if found and at < found[-1].end():
                continue
            match = cue.pattern.match(lowered, at, end)
            if match:
                found.append(match)
        if window is not None:
            first, last, end = window
    return found


def _without_echoes(findings: list[Finding]) -> list[Finding]:
    """One piece of evidence per fact: where two signals read the same words as the same
    answers ("were not paid": `unpaid`, and `paid-for-time` turned round), keep the one
    that says it directly."""
    kept: list[Finding] = []
    seen: dict[tuple[int, int, tuple[AnswerRef, ...]], int] = {}
    for finding in findings:
        if finding.answers:
            key = (finding.start, finding.end, finding.answers)
            if key in seen:
                if kept[seen[key]].negated and not finding.negated:
                    kept[seen[key]] = finding
                continue
            seen[key] = len(kept)
        kept.append(finding)
    return kept


def _firmest_first(
    compiled: tuple[tuple[Signal, tuple[CompiledCue, ...]], ...],
) -> tuple[tuple[Signal, tuple[CompiledCue, ...]], ...]:
    return tuple((signal, tuple(sorted(cues, key=lambda cue: -cue.strength))) for signal, cues in compiled)


def _fact_rung(question: Question, option: str) -> Rung:
    fact = question.fact_for(frozenset([option]))
    return fact.best_rung if fact else Rung.COERCION


def _hedges(words: str) -> bool:
    return bool(_HEDGE.search(_NOT_A_HEDGE.sub(" ", words)))


def _own_clause_start(lowered: str, clause_start: int, start: int) -> int:
    """Where the clause of the cue at `start` begins, from where its own subject starts
    ("In line with the principles of co-production, residents designed...")."""
    for cut in _NEW_SUBJECT.finditer(lowered, clause_start, min(len(lowered), start + 20)):
        if cut.end() > start:
            break
        clause_start = cut.end()
    return clause_start


def _frames_its_list(lowered: str, breaks: list[int], clause_start: int, words: re.Pattern[str]) -> bool:
    """Whether the clause is a list after a colon whose lead-in holds `words`: an intention
    or a principle ("the principles of co-production: sharing power, ...")."""
    if clause_start == 0 or lowered[clause_start - 1] != ":":
        return False
    at = bisect_left(breaks, clause_start)
    lead_start = breaks[at - 1] if at > 0 else 0
    lead_in = lowered[_own_clause_start(lowered, lead_start, clause_start - 1):clause_start - 1]
    return bool(words.search(_NOT_A_HEDGE.sub(" ", _last_words(lead_in, HEDGE_WINDOW_WORDS))
                             if words is _HEDGE else lead_in))


# An aside in brackets is its own statement: in "tenants chose the themes (who to call if
# they cannot reach the warden) and wrote the guide", the "cannot" is the aside's, not the
# tenants'. So is the end of one that a cue's words or clause start inside.
_ASIDE = re.compile(r"\([^()]*\)|^[^()]*\)")


def _without_asides(words: str) -> str:
    return _ASIDE.sub(" ", words) if ")" in words else words


def _negates(words: str) -> bool:
    return bool(_NEGATOR.search(_NOT_A_NEGATION.sub(" ", words)))


# "If the conditions are not met, the person may be prosecuted": a negation inside a
# condition that has closed at its comma says nothing of what follows it.
_CLOSED_CONDITION = re.compile(r"\b(?:if|unless)\b[^,;]*,")


# Words that deny everything after them in their clause, however far: "We found no evidence
# that residents or families had been asked for their views".
_CLAUSE_NEGATOR = re.compile(
    r"\b(?:no|little) (?:evidence|sign|signs|record|records|indication) (?:that|of)\b"
    r"|\bnothing to (?:show|suggest) that\b"
    # "The panel could not find any evidence of": no evidence, put as a verb.
    r"|\b(?:did not|didn't|didn’t|do not|don't|don’t|could not|couldn't|couldn’t|cannot|can't|can’t)"
    r" (?:see|find) "
    r"(?:any |much )?(?:evidence|sign|signs|record|records|indication) (?:that|of)\b"
)


def _negated_before(before: str) -> bool:
    """Whether the words before a cue, in its clause, turn it round."""
    if not _NEGATOR.search(before) and not _CLAUSE_NEGATOR.search(before):
        return False  # speed only: nothing here can turn it round (the steps below only delete)
    before = _FACTIVE_NEGATION.sub(" ", _NOT_A_NEGATION.sub(" ", _CLOSED_CONDITION.sub(" ", before)))
    before = _NEGATED_RELATIVE.sub(" ", before)
    if _CLAUSE_NEGATOR.search(before):
        return True
    near = _last_words(before, NEGATION_WINDOW_WORDS)
    if not _negates(near):
        return False
    # `before` has already lost what only looks like a negation (_NOT_A_NEGATION, above).
    long_reach = _NEGATOR.sub(lambda m: m.group(0) if _SHORT_NEGATOR.fullmatch(m.group(0)) is None else " ",
                              near)
    return bool(_NEGATOR.search(long_reach)) or bool(
        _SHORT_NEGATOR.search(_last_words(before, SHORT_NEGATION_WORDS)))


def _last_words(text: str, count: int) -> str:
    words = text.split()
    return " ".join(words[-count:])


def _lower_same_length(text: str) -> str:
    """Lower-case without moving any character, so offsets into it are offsets into the
    original (a few characters lower-case to two, such as "İ"; those are kept as they are)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
