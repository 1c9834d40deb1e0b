"""Sending the booking form as a browser does, against any app server of the cluster."""

import re
import time
from collections import Counter

from tests.cluster.conftest import delivered_mail, sql
from tests.cluster.http_client import TOKEN, Visitor

STARTED = re.compile(r'name="form_started" value="([^"]+)"')
SERVICE = re.compile(r'<option value="([a-z0-9-]+)">')
# clinic.spam.MIN_SECONDS_TO_FILL: a form sent sooner is taken for a bot's.
FILL_SECONDS = 3.25


class FormNotShown(Exception):
    def __init__(self, status):
        super().__init__(f"GET /book/ answered {status}")
        self.status = status


def fill_in(server, email, address):
    """GET the form and fill it in: (visitor, data). Send it FILL_SECONDS later at the earliest."""
    visitor = Visitor(server, address)
    response = visitor.get("/book/")
    if response.status != 200:
        raise FormNotShown(response.status)
    page = response.text
    data = {
        "csrfmiddlewaretoken": TOKEN.search(page).group(1),
        "form_started": STARTED.search(page).group(1),
        "name": "Cluster Patient",
        "email": email,
        "phone": "0412 345 678",
        "contact_method": "either",
        "patient_type": "new",
        "service": SERVICE.search(page).group(1),
        "preferred_days": "mon",
        "message": "Sent through the cluster test.",
        "consent": "on",
        "website": "",
    }
    return visitor, data


def send(visitor, data):
    """POST the form as the page's script does (asking for JSON: 200 on success)."""
    return visitor.post("/book/", data, headers={"Accept": "application/json"})


def send_enquiry(server, email, address):
    visitor, data = fill_in(server, email, address)
    time.sleep(FILL_SECONDS)
    return send(visitor, data)


def stored_emails(pattern):
    return [
        email for (email,) in sql("SELECT email FROM booking_enquiry WHERE email LIKE %s", pattern)
    ]


def mail_about(emails):
    """(acknowledgements per patient address, staff notices per enquiry number) at the sink."""
    numbers = {
        str(pk)
        for (pk,) in sql("SELECT id FROM booking_enquiry WHERE email = ANY(%s)", list(emails))
    }
    patients, staff = Counter(), Counter()
    for message in delivered_mail():
        subject = message["Subject"] or ""
        if subject.startswith("New booking enquiry #"):
            number = subject.removeprefix("New booking enquiry #")
            if number in numbers:
                staff[number] += 1
        elif message["To"] in emails:
            patients[message["To"]] += 1
    return patients, staff
