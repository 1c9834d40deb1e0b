"""Staff edits through one app server, as the admin's own forms send them."""

import secrets

from tests.admin_pages import form_data
from tests.cluster.conftest import ADMIN_PASSWORD, ADMIN_USERNAME, sql
from tests.cluster.http_client import Visitor


def change_form(admin, url, form_id, files=None, **changes):
    data = form_data(admin.get(url).text, form_id) | {"_continue": ["Save and continue editing"]}
    data |= {name: [value] for name, value in changes.items()}
    return admin.post(url, data, files=files)


def logged_in_admin(server):
    admin = Visitor(server)
    assert admin.log_in(ADMIN_USERNAME, ADMIN_PASSWORD).status == 302
    return admin


def assert_an_edit_shows_at_once_on_the_other(first, second):
    """A service's summary changed through `first`, seen on the next request to `second`, whose
    stored copies of the pages were served just before the edit."""
    service_id, slug = sql("SELECT id, slug FROM clinic_service ORDER BY id LIMIT 1")[0]
    admin = logged_in_admin(first)
    url = f"/admin/clinic/service/{service_id}/change/"
    data = form_data(admin.get(url).text, "service_form") | {
        "_continue": ["Save and continue editing"]
    }
    summary = f"Now with a cluster check {secrets.token_hex(4)}."
    visitor = Visitor(second)
    for _ in range(2):  # stored, then served stored, by the second server
        before = visitor.get(f"/services/{slug}/")
        assert before.status == 200
    assert summary not in before.text

    saved = admin.post(url, data | {"summary": [summary]})

    assert saved.status == 302, saved.text[:2000]
    assert summary in visitor.get(f"/services/{slug}/").text
    assert summary in visitor.get("/services/").text
