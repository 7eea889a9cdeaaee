"""General reading rules of issue 3, round 15, read from the fourteenth set's tuning half
(written blind, aimed at the lower rungs): compulsion shown by what is withheld or what
follows (part of the referral criteria; a condition of a licence's grant or renewal; a licence
not renewed without it; a starter tenancy not made assured where the course is not completed;
an offer made rather than taking the matter to court; patients who miss sessions discharged);
and "mandatory" with nothing following from missing it is a free choice (read, though against
"mandatory" a tie keeps compulsion). Every sentence here was written for these tests, from the
ladder's definitions, not copied from a set."""

from __future__ import annotations

import pytest

from tests.unit.classifier.reading_support import classify, counted, found, scored


@pytest.mark.parametrize("said", [
    "Finishing the classes is now part of our referral criteria for the clinic.",
    "Since May, the certificate has been a condition of grant and renewal of a street trading permit.",
    "The council will not renew a street trading permit without the certificate.",
    "Where a tenant has not completed the sessions, the starter tenancy is extended.",
    "Rather than take this matter to court, we are offering you a place on the course.",
    "Patients who do not attend at least four of the five sessions will be discharged to their GP.",
])
def test_compulsion_shown_by_what_is_withheld_or_what_follows(said):
    assert scored(classify(said), "compulsory"), said


def test_mandatory_with_nothing_following_from_missing_it_is_a_free_choice():
    for said in ("The letter said attendance was mandatory, but there is no penalty for households "
                 "that did not attend.",
                 "Your benefit will not be affected by whether you attend the briefing."):
        # Read and not turned round; against "mandatory" in the same text, a tie keeps the
        # lower rung's fact (doubt never lifts a project), so both are reported.
        assert counted(classify(said), "voluntary"), said
    # A voluntary course is not made compulsory by these words.
    assert not found(classify("Anyone can book the course."), "compulsory")


@pytest.mark.parametrize("said", [
    "We will not pay expenses without receipts.",
    "If you have not attended before, you are very welcome to come along.",
    "We could not house every family without more funding.",
])
def test_what_is_not_compulsion_though_worded_like_it(said):
    assert not found(classify(said), "compulsory"), said
