"""What the reader's speed-ups read from a cue's regular expression."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.classifier.signals import DEFAULT_PATH, SignalsError, anchors_of, load_signals, most_spaces


@pytest.mark.parametrize(("pattern", "spaces"), [
    ("a b", 1),
    (r"(?:the |a )?(?:[\w'’-]+ ){0,3}(?:staff|team)", 4),  # a determiner and three words
    (r"(?:ab|c d e)", 2),  # the branch with the most
    (r"a(?= b)c", 0),  # a lookahead reads, it does not take
    (r"(?<! on )staff", 0),
    (r"[^x]y", 1),  # a class that can hold a space may be one
    (r"\w+", 0),
])
def test_the_most_spaces_a_match_can_take(pattern, spaces):
    assert most_spaces(pattern) == spaces


@pytest.mark.parametrize("pattern", [r"a\s+b", r"(?:\w+ )+x", r"a.*b", r"(a)\1"])
def test_no_limit_when_a_pattern_can_take_any_number_of_spaces_or_is_not_understood(pattern):
    assert most_spaces(pattern) is None


@pytest.mark.parametrize(("pattern", "anchor", "before", "after"), [
    (r"told us", "told us", 0, 0),
    (r"(?:we |they )told us", "told us", 5, 0),
    # A lookahead reads the rest of the sentence but takes none of it: a match still starts
    # at its anchor, and the window must reach as far as the lookahead reads.
    (r"(?![^.]{0,20}?said)told us", "told us", 0, 17),
    (r"told(?! them)", "told", 0, 5),
])
def test_an_anchor_and_how_far_a_match_reaches_either_side_of_it(pattern, anchor, before, after):
    found = anchors_of(pattern)
    assert found is not None
    assert (found.strings, found.before, found.after) == ((anchor,), before, after)


def test_a_cue_that_opens_with_punctuation_is_refused_at_load(tmp_path):
    # Cues match only where no word is just before them, so ", who will decide" could never
    # follow "the Cabinet Member": a cue the reader would silently never find.
    text = Path(DEFAULT_PATH).read_text(encoding="utf-8")
    written = "s?, who (?:will|would) (?:then )?(?:decide"
    assert text.count(written) == 1
    start = text.rindex("\n", 0, text.index(written)) + 1
    line = text[start:text.index("\n", start)]
    bad = tmp_path / "signals.yaml"
    bad.write_text(text.replace(line, "      - ', who (?:will|would) (?:then )?decide'"), encoding="utf-8")
    with pytest.raises(SignalsError, match="opens with punctuation"):
        load_signals(bad)


@pytest.mark.parametrize("macro", ["{no_such_macro}", "{nosuchmacro}"])
def test_a_cue_naming_an_unknown_macro_is_refused_at_load(tmp_path, macro):
    # Left as written, "{opt_scope}" would be a literal no text contains: the cue would
    # never match again, and nothing would say so. A name with an underscore once slipped
    # past the check that way.
    text = Path(DEFAULT_PATH).read_text(encoding="utf-8")
    written = "      - (?:opt|opted|opting) (?:in|out){opt_scope}\n"
    assert text.count(written) == 1
    bad = tmp_path / "signals.yaml"
    bad.write_text(text.replace(written, written.replace("{opt_scope}", macro)), encoding="utf-8")
    with pytest.raises(SignalsError, match="unknown macro"):
        load_signals(bad)
