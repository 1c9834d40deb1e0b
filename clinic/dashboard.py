"""The staff front page (the admin index): what is waiting, per role, with counts and links.

Each app declares its rows in its own `dashboard.py` (found like admin.py), with the permission
that shows them: the front desk sees the enquiry rows, editors the content rows, the owner all.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class Row:
    label: str
    permission: str
    count: object  # function() -> int
    changelist: str  # admin URL name of the list
    query: dict  # the list's filter


ROWS = []


def register(label, *, permission, count, changelist, query):
    ROWS.append(Row(label, permission, count, changelist, query))


def autodiscover():
    autodiscover_modules("dashboard")


def rows_for(user):
    """(label, count, url) for each row `user` may see, in the order the apps declared them."""
    return [
        (row.label, row.count(), f"{reverse(row.changelist)}?{urlencode(row.query)}")
        for row in ROWS
        if user.has_perm(row.permission)
    ]
