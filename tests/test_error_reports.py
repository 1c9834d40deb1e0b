"""Finding 5: an emailed error report carries no patient data, whatever the server put in META."""

import pytest
from django.test import Client

# Kept out of the test functions, whose source lines an error report could quote.
SEARCH = "q=Jane+Doe+0412345678"
SECRETS = ["Jane", "0412345678", "session-value-123", "referrer-search", "203.0.113.9"]


@pytest.fixture
def reports_by_email(settings):
    settings.ROOT_URLCONF = "tests.error_urls"
    settings.ADMINS = ["developer@example.com"]


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_500_report_has_the_path_but_not_the_search(reports_by_email, db, mailoutbox, method):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "session-value-123"

    response = getattr(client, method)(
        f"/broken/?{SEARCH}",
        # What gunicorn and other servers add: the whole URL, query string included.
        RAW_URI=f"/broken/?{SEARCH}",
        REQUEST_URI=f"/broken/?{SEARCH}",
        HTTP_REFERER="http://testserver/admin/booking/enquiry/?q=referrer-search",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
        HTTP_USER_AGENT="Report-Test-Agent",
    )

    assert response.status_code == 500
    [report] = mailoutbox
    text = report.body + "".join(content for content, _type in report.alternatives)
    assert "RuntimeError" in text
    assert "/broken/" in text
    assert "Report-Test-Agent" in text
    for secret in SECRETS:
        assert secret not in text
    assert "RAW_URI" not in text
    assert "REQUEST_URI" not in text
    assert "QUERY_STRING" not in text
