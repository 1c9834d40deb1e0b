"""Every public page scores at least 135 on the MDN HTTP Observatory rubric (tests/observatory.py),
with no negative modifier, as production serves it behind a TLS-terminating proxy."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client

from tests import crawl, observatory

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "test-only-" + "x" * 60,
    "DJANGO_ALLOWED_HOSTS": "testserver",
    "EMAIL_HOST": "smtp.example.com",
    "DJANGO_BEHIND_PROXY": "true",
    "TRUSTED_PROXY_COUNT": "1",
}
# The settings production changes for security, read from clinic/settings.py as it loads there.
DUMP_SECURITY_SETTINGS = """
import json
from django.conf import settings
names = [n for n in dir(settings) if n.startswith(("SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_"))]
names += ["USE_X_FORWARDED_HOST", "X_FRAME_OPTIONS"]
print(json.dumps({n: getattr(settings, n) for n in names if n != "SECURE_CSP"}, default=str))
"""
MINIMUM = 135
BEHIND_PROXY = {"HTTP_X_FORWARDED_FOR": "198.51.100.7", "REMOTE_ADDR": "10.0.0.2"}

# One worker (pytest-xdist) runs the module, so production's settings are read once.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("observatory")]


@pytest.fixture(scope="module")
def production_security_settings():
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "EMAIL_", "CACHE_URL"))
    }
    environment.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="clinic.settings")
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", DUMP_SECURITY_SETTINGS],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    values = json.loads(result.stdout.strip().splitlines()[-1])
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    assert values["SECURE_SSL_REDIRECT"] and values["SECURE_HSTS_SECONDS"]
    return values


@pytest.fixture
def production(settings, production_security_settings):
    for name, value in production_security_settings.items():
        setattr(settings, name, value)


def scored(path):
    """One page as the Observatory fetches it: each request from a fresh client, over HTTPS at
    the proxy, over plain HTTP, and with a foreign Origin."""
    response = Client(HTTP_X_FORWARDED_PROTO="https", **BEHIND_PROXY).get(path)
    plain = Client(HTTP_X_FORWARDED_PROTO="http", **BEHIND_PROXY).get(path)
    foreign = Client(
        HTTP_X_FORWARDED_PROTO="https", HTTP_ORIGIN=observatory.FOREIGN_ORIGIN, **BEHIND_PROXY
    ).get(path)
    return response, observatory.score(
        response, http_response=plain, foreign_origin_response=foreign
    )


def test_every_public_page_scores_at_least_135_with_no_penalty(
    production, page_cache_on, demo_snapshot
):
    scores = {}
    with transaction.atomic():
        demo_snapshot.load()

        def fetch(path):
            response, score = scored(path)
            if response.get("Content-Type", "").startswith("text/html"):
                scores[path] = score
            return response

        result = crawl.crawl(fetch)
        # The error page is no link's target, but visitors see it: scored like the others.
        scores["/no-such-page/"] = scored("/no-such-page/")[1]
        # A second read of a page comes from the page cache: it must score the same.
        scores["/ (from the page cache)"] = scored("/")[1]
        transaction.set_rollback(True)

    assert {"/", "/about/", "/services/", "/blog/", "/stories/", "/book/"} <= set(scores)
    assert len(result.pages) >= 10
    failing = {
        path: str(score)
        for path, score in scores.items()
        if score.total < MINIMUM or score.penalties
    }
    assert not failing, "\n".join(f"{path}: {score}" for path, score in failing.items())


def test_the_booking_form_earns_the_cookie_bonus(production):
    response, score = scored("/book/")

    assert response.cookies["csrftoken"]["secure"]
    assert (
        observatory.Finding("cookies", "cookies-secure-with-httponly-sessions-and-samesite", 5)
        in score.findings
    )
    assert score.total >= 145


def test_the_score_falls_when_a_protection_is_missing(production, settings):
    """The scorer can fail: without HSTS, the proxy's HTTPS redirect or CORP, a page loses points."""
    settings.SECURE_HSTS_SECONDS = 0
    settings.SECURE_SSL_REDIRECT = False
    settings.SECURE_CROSS_ORIGIN_RESOURCE_POLICY = None

    _response, score = scored("/privacy/")

    assert {finding.result for finding in score.penalties} == {
        "hsts-not-implemented",
        "redirection-missing",
    }
    assert score.total < MINIMUM
