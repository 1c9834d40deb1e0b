"""The screening helper (clinical language) and text normalisation (duplicates)."""

import pytest

from testimonials.screening import CLINICAL, NON_CLINICAL, normalise, normalised_hash, screen


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("The pain is gone", "pain"),
        ("After my injury I could not run", "injury"),
        ("Great treatment every time", "treatment"),
        ("He was able to diagnose the problem", "diagnose"),
        ("A quick and accurate diagnosis", "diagnosis"),
        ("My recovery was fast", "recovery"),
        ("Jason basically fixed me", "fixed"),
        ("I am cured", "cured"),
        ("It went from 90% to 10%", "90%"),
        ("Forty per cent better", "per cent"),
        ("about 50 percent less", "50 percent"),
        ("My lower back feels great", "lower back"),
        ("Sore shoulders no more", "shoulders"),
        ("My knee is happy again", "knee"),
        ("Sciatica had bothered me for years", "sciatica"),
        ("Headaches stopped", "headaches"),
        ("A chronic problem", "chronic"),
        ("He knows his stuff", "knows his stuff"),
        ("Miracle hands", "miracle"),
    ],
)
def test_clinical_language_is_flagged_and_named(text, term):
    result = screen(text)

    assert result.flagged
    assert term in result.terms
    assert result.suggested_classification == CLINICAL


@pytest.mark.parametrize(
    "text",
    [
        "Friendly reception, always on time, and everything was explained clearly.",
        "Good vibes as soon as you walk in, professional service. Muchly recommended 👍",
        "Great personality, very reliable and trustworthy; he listens. Thank you.",
        "Easy parking and the booking was simple.",
    ],
)
def test_statements_about_service_are_not_flagged(text):
    result = screen(text)

    assert not result.flagged
    assert result.terms == ()
    assert result.suggested_classification == NON_CLINICAL


def test_terms_come_back_once_each_in_reading_order():
    result = screen("Pain in my neck, then PAIN in my knee; now no pain.")

    assert result.terms == ("pain", "neck", "knee")
    assert str(result) == "pain, neck, knee"


def test_words_that_merely_contain_a_term_are_not_flagged():
    assert not screen("A painter, a backpacker and a fixture list walked in.").flagged


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Their personalised approach", "Their personalized approach"),
        ("The colour of the room", "the color of the room"),
        ("Great   centre!!", "great center"),
        ("I’ve been struggling", "I've been struggling"),
        ('"Quoted," she said.', "quoted she said"),
        ("Organised and realised", "organized and realized"),
        ("Favourite clinic", "favorite clinic"),
        ("Travelled 2 hours", "traveled 2 hours"),
        ("Line one\n\nline two", "line one line two"),
    ],
)
def test_normalisation_ignores_case_punctuation_spacing_and_spelling(first, second):
    assert normalise(first) == normalise(second)
    assert normalised_hash(first) == normalised_hash(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Thanks for your help", "Thanks four your help"),
        ("An hour late", "An her late"),
        ("Good service", "Great service"),
    ],
)
def test_different_texts_stay_different(first, second):
    assert normalised_hash(first) != normalised_hash(second)
