"""General reading rules of issue 3, round 7, read from the sixth set's tuning half (written
blind): an organisation governed by the people it serves is user-led; people who run a
thing themselves lead it; how long a study followed its participants is not involvement
over time; thanks for an event are not views asked for. Every sentence here was written for
these tests, from the ladder's definitions, not copied from a set."""

from __future__ import annotations

from tests.unit.classifier.reading_support import classify, found, scored

# ---- User-led: governed by the people it serves -----------------------------------------------


def test_a_board_made_up_of_people_with_lived_experience_is_user_led():
    for board in ("Its board is made up entirely of people with lived experience of psychosis.",
                  "The trustees are drawn mainly from disabled people who use the service.",
                  "The management committee is composed of tenants."):
        assert scored(classify(f"Northside Advocacy is a small charity. {board}"), "user-led"), board


def test_a_board_made_up_of_professionals_is_not_user_led():
    result = classify("Northside Advocacy is a small charity. Its board is made up of retired clinicians.")
    assert not found(result, "user-led")


def test_people_who_run_it_themselves_lead_it():
    assert scored(classify("The tenants run the community centre themselves."), "user-led")
    assert not found(classify("The tenants use the community centre on Tuesdays."), "user-led")


# ---- Ongoing: a study's follow-up is not involvement --------------------------------------------


def test_how_long_a_study_followed_its_participants_is_not_ongoing_involvement():
    result = classify("The trial followed 900 people with asthma for three years, and we shared the results.")
    assert not found(result, "ongoing")
    result = classify("A panel of people with asthma has advised the trial for three years.")
    assert scored(result, "ongoing")


# ---- Asked: thanks are not views --------------------------------------------------------------


def test_people_saying_how_much_they_valued_an_event_gave_no_views():
    result = classify("After the results evening many families told us how much they valued the talk.")
    assert not scored(result, "asked-for-views")
    assert scored(classify("Families told us what they wanted from the next study."), "asked-for-views")


def test_when_building_work_began_is_not_involvement_over_time():
    result = classify("Residents chose the play equipment. Construction began in 2024 and ends next year.")
    assert not found(result, "ongoing")
    assert scored(classify("The residents' panel began in 2024 and meets monthly."), "ongoing")
