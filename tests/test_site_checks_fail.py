"""Mutation proof: pages broken on purpose (tests/broken_site.py) make the site checks report
a failure that names the page and the problem. Without this, a check that can never fail would
look exactly like a site with nothing wrong."""

import pytest
from django.db import transaction
from django.test import Client, override_settings

from tests import crawl

# One worker (pytest-xdist) runs the module, so the broken site is crawled once.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("site_checks_fail")]


@pytest.fixture(scope="module")
def broken_crawl(django_db_setup, django_db_blocker, demo_snapshot):
    with (
        override_settings(ROOT_URLCONF="tests.broken_site"),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        demo_snapshot.load()
        result = crawl.crawl(Client().get, start=("/broken/",))
        transaction.set_rollback(True)
    return result


@pytest.fixture(scope="module")
def page_problems(broken_crawl):
    return [p for page in broken_crawl.pages.values() for p in crawl.check_page(page)]


@pytest.mark.parametrize(
    "expected",
    [
        '/broken/img-no-alt/: <img src="/static/img/logo.svg"> has no alt',
        '/broken/img-no-size/: <img src="/static/img/logo.svg"> has no width',
        '/broken/img-no-size/: <img src="/static/img/logo.svg"> has no height',
        '/broken/duplicate-id/: id="twin" is used 2 times',
        "/broken/no-h1/: has 0 <h1> elements; it needs exactly one",
        "/broken/two-h1/: has 2 <h1> elements; it needs exactly one",
        "/broken/inline-style/: <h1> on line",  # ... has a style attribute
        '/broken/inline-handler/: <button type="button"> on line',  # ... has an onclick handler
        "/broken/inline-script/: has an inline <script> on line",
        "/broken/bad-jsonld/: JSON-LD on line",  # ... does not parse
        "/broken/jsonld-no-type/: JSON-LD on line",  # ... has an item without @type
    ],
)
def test_page_checks_name_the_page_and_the_problem(page_problems, expected):
    assert any(problem.startswith(expected) for problem in page_problems), (
        f"no problem starting {expected!r} in:\n" + "\n".join(page_problems)
    )


def test_inline_code_problems_say_what_is_inline(page_problems):
    text = "\n".join(page_problems)
    assert "has a style attribute" in text
    assert "has an onclick handler" in text
    assert "does not parse" in text
    assert "has an item without @type" in text


def test_dead_links_and_missing_images_are_reported_with_the_pages_linking_to_them(broken_crawl):
    assert "/broken/dead-link/: links to /no-such-page/, which answers 404" in broken_crawl.problems
    assert (
        "/broken/missing-image/: links to /static/img/gone.png, which answers 404"
        in broken_crawl.problems
    )


def test_duplicate_titles_are_reported(broken_crawl):
    problems = crawl.check_unique(list(broken_crawl.pages.values()), "title", lambda p: p.title)
    assert problems == [
        "/broken/same-title-a/, /broken/same-title-b/: share the title 'Same title'"
    ]


def test_the_html_validator_names_the_page_line_and_error(broken_crawl):
    pages = [broken_crawl.pages[f"/broken/{name}/"] for name in ("invalid-html", "duplicate-id")]
    pages.append(broken_crawl.pages["/"])
    problems = crawl.validate_html(pages)
    text = "\n".join(problems)
    assert "/broken/invalid-html/: invalid HTML at line" in text
    assert "/broken/duplicate-id/: invalid HTML at line" in text and "Duplicate ID" in text
    assert not [p for p in problems if p.startswith("/: ")], "the home page itself is valid"


def test_a_clean_crawl_of_the_real_pages_reports_nothing(broken_crawl):
    # The same demo pages, reached through the broken index, still pass: the faults above are
    # the broken pages' own, not noise the checks would report anyway.
    real = [page for path, page in broken_crawl.pages.items() if not path.startswith("/broken/")]
    assert len(real) > 5
    assert not [p for page in real for p in crawl.check_page(page)]
