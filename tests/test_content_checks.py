"""The word lists and checks of blog.content_checks, on their own."""

import pytest

from blog.content_checks import advertising_flags, check_article, reading_ease


def terms(text):
    return [flag.term for flag in advertising_flags(text)]


def labels(text):
    return [flag.label for flag in advertising_flags(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Our care cures asthma, guaranteed.", ["cures", "asthma", "guaranteed"]),
        ("Results are 100% certain and completely safe.", ["100%", "completely safe"]),
        ("A risk-free adjustment with no side effects.", ["risk-free", "no side effects"]),
        ("We help colic, ADHD and autism.", ["colic", "ADHD", "autism"]),
        (
            "Treating infertility, ear infections and bed-wetting.",
            ["infertility", "ear infections", "bed-wetting"],
        ),
        ("Boost your immune system; skip vaccination.", ["immune", "vaccination"]),
        (
            "The best chiropractor in Sydney, the leading clinic.",
            ["The best chiropractor", "leading clinic"],
        ),
        ("We are number one and world-class.", ["number one", "world-class"]),
        (
            "Read our testimonials: one of our patients said it helped.",
            ["testimonials", "one of our patients said"],
        ),
        (
            "“I ran again within a week, amazing” — Sarah T.",
            ["“I ran again within a week, amazing” — Sarah T."],
        ),
    ],
)
def test_advertising_rules_flag_these(text, expected):
    assert terms(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Warm up for five minutes before you run.",
        "It is the best way to warm up your calves.",  # "best" about a method, not the clinic
        "Secure your shoes and make sure the laces are tight.",  # "cure" inside a word
        "Is running safe after a knee injury? Usually, with a plan.",  # not an absolute claim
        "A leading cause of shin pain is doing too much too soon.",
        "Your physio can assess how you land.",
    ],
)
def test_ordinary_sports_writing_is_not_flagged(text):
    assert terms(text) == []


def test_each_word_is_flagged_once_with_the_reason_staff_see():
    flags = advertising_flags("Cures asthma. It cures it.")

    assert [flag.term for flag in flags] == ["Cures", "asthma"]
    assert "unreasonable expectation of benefit" in flags[0].why
    assert "s133" in flags[0].why
    assert "musculoskeletal" in flags[1].why
    assert labels("asthma") == ["asthma"]


def checks(**fields):
    article = {
        "title": "How to warm up before a long run",
        "summary": "Five minutes of easy jogging and a few drills get your legs ready for the "
        "miles ahead.",
        "body": "<h2>Why</h2><p>See <a href='https://example.com'>the running guide</a>.</p>",
    } | fields
    return {check.name: check for check in check_article(**article).checks}


def test_a_good_article_passes_the_readers_checks():
    result = checks(reviewed_by=1, last_reviewed="2026-01-01")

    assert [name for name, check in result.items() if not check.ok] == []


def test_readers_checks_warn_about_each_problem():
    result = checks(
        title="Warm up",
        summary="Short.",
        body="<h1>Main</h1><h2>Part</h2><h4>Skipped</h4><p><a href='/x'>click here</a></p>",
        images=[(True, "")],
    )

    assert "7 characters: aim for 20 to 60" in result["Title length"].message
    assert not result["Description length"].ok
    assert not result["One main heading"].ok
    assert "“Skipped” (h4 after h2)" in result["Heading levels in order"].message
    assert "“click here”" in result["Link text"].message
    assert "1 image(s) without a description" in result["Image descriptions"].message
    assert not result["Clinical review"].ok


def test_the_seo_description_is_measured_instead_of_the_summary_when_given():
    result = checks(seo_description="x" * 200)

    assert "200 characters" in result["Description length"].message


def test_reading_ease_prefers_short_words_and_sentences():
    plain = "Run slow at first. Then run a bit more. Rest on the next day. " * 5
    dense = (
        "Biomechanical considerations regarding musculoskeletal adaptation necessitate "
        "individualised progression incorporating periodisation methodologies " * 3
    )

    assert reading_ease(plain) > 80
    assert reading_ease(dense) < 20
    assert reading_ease("Too short.") is None
