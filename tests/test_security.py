import re

import pytest
from django.test import Client

# Kept out of the test functions, whose source lines an error report quotes.
PATIENT_NAME, PATIENT_MESSAGE, PATIENT_PHONE = "Jane-Citizen", "my back hurts", "0412345678"
PUBLIC_PAGES = [
    "/",
    "/about/",
    "/about/jason-lee/",
    "/services/",
    "/services/running-assessment/",
    "/privacy/",
    "/no-such-page/",
    "/blog/",
    "/stories/",
    "/book/",
]
INLINE_CODE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/ld\+json\")[^>]*>|\sstyle=\"|<style\b|\son[a-z]+=",
    re.IGNORECASE,
)


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_page_has_a_strict_csp_and_no_inline_code(client, demo, url):
    response = client.get(url)

    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "nonce" not in csp
    assert INLINE_CODE.findall(response.content.decode()) == []
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_admin_login_has_the_csp_too(client, db):
    response = client.get("/admin/login/")

    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_five_wrong_admin_passwords_lock_the_login(client, staff_user):
    for _attempt in range(5):
        response = client.post(
            "/admin/login/?next=/admin/", {"username": "staff", "password": "wrong"}
        )
        assert response.status_code in (200, 429)

    response = client.post(
        "/admin/login/?next=/admin/", {"username": "staff", "password": "correct-horse-battery"}
    )

    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_right_password_still_works_before_the_limit(client, staff_user):
    for _attempt in range(3):
        client.post("/admin/login/?next=/admin/", {"username": "staff", "password": "wrong"})

    response = client.post(
        "/admin/login/?next=/admin/", {"username": "staff", "password": "correct-horse-battery"}
    )

    assert response.status_code == 302


def test_unknown_host_gets_a_400_page_not_a_stack_trace(demo):
    response = Client(HTTP_HOST="evil.example.com", raise_request_exception=False).get("/")

    assert response.status_code == 400
    assert "Traceback" not in response.content.decode()


def test_oversized_request_body_is_refused_cleanly(db):
    client = Client(raise_request_exception=False)
    response = client.post(
        "/admin/login/",
        data=b"a=" + b"x" * (7 * 1024 * 1024),
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400
    assert "Traceback" not in response.content.decode()


def test_malformed_multipart_body_is_a_400(db):
    client = Client(raise_request_exception=False)
    response = client.generic(
        "POST",
        "/admin/login/",
        b"--boundary\r\nContent-Disposition: form-data; name=\r\n\r\nbroken",
        content_type="multipart/form-data; boundary=",
    )

    assert response.status_code == 400
    assert "Traceback" not in response.content.decode()


@pytest.mark.parametrize(
    "url",
    ["/about/%00/", "/services/" + "a" * 5000 + "/", "/about/jason-lee/?page=%ff%fe", "/%E2%28%A1"],
)
def test_odd_urls_are_never_a_500(client, demo, url):
    assert client.get(url).status_code in (200, 404)


def test_robots_txt_points_at_the_sitemap_and_keeps_out_of_the_admin(client, db):
    content = client.get("/robots.txt").content.decode()

    assert "Sitemap: http://testserver/sitemap.xml" in content
    assert "Disallow: /admin/" in content


def test_health_check(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert client.head("/healthz").status_code == 200
    assert client.head("/robots.txt").status_code == 200


def failing_view(request):
    enquiry = {"name": request.POST["name"]}  # noqa: F841 (a local an error report could show)
    raise ValueError("boom")


def test_error_reports_hide_posted_fields_searches_referrers_and_locals(rf):
    from django.views.debug import get_exception_reporter_class

    request = rf.post(
        "/admin/booking/enquiry/?q=" + PATIENT_NAME,
        {"name": PATIENT_NAME, "message": PATIENT_MESSAGE},
        HTTP_REFERER="http://testserver/admin/booking/enquiry/?q=" + PATIENT_PHONE,
    )
    try:
        failing_view(request)
    except ValueError as error:
        reporter = get_exception_reporter_class(request)(
            request, type(error), error, error.__traceback__
        )
        text = reporter.get_traceback_text() + reporter.get_traceback_html()

    assert "boom" in text
    assert "/admin/booking/enquiry/" in text
    for secret in [PATIENT_NAME, PATIENT_MESSAGE, PATIENT_PHONE]:
        assert secret not in text
