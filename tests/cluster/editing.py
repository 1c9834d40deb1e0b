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


class ServiceEdit:
    """A new summary for the first service, its form opened through `server`'s admin now and
    saved later (`save()`), and the pages that show it."""

    def __init__(self, server):
        service_id, slug = sql("SELECT id, slug FROM clinic_service ORDER BY id LIMIT 1")[0]
        self.admin = logged_in_admin(server)
        self.url = f"/admin/clinic/service/{service_id}/change/"
        self.data = form_data(self.admin.get(self.url).text, "service_form")
        self.summary = f"Now with a cluster check {secrets.token_hex(4)}."
        self.pages = [f"/services/{slug}/", "/services/"]

    def save(self):
        data = self.data | {"summary": [self.summary], "_continue": ["Save and continue editing"]}
        saved = self.admin.post(self.url, data)
        assert saved.status == 302, saved.text[:2000]

    def shown_by(self, server):
        """Whether an anonymous visitor of `server` sees the new summary on every page."""
        return all(self.summary in Visitor(server).get(page).text for page in self.pages)


def assert_an_edit_shows_at_once_on_the_other(first, second):
    """An edit through `first` is seen on the next request to `second`, which had just served
    the pages stored."""
    edit = ServiceEdit(first)
    for _ in range(2):  # stored, then served stored
        assert not edit.shown_by(second)

    edit.save()

    assert edit.shown_by(second)
