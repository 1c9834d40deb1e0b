"""The CSV export through the admin: no cell can be run as a formula by a spreadsheet, whatever
separator it splits the line on, and the text staff read is otherwise what the patient typed."""

import csv
import io

import pytest
from django.contrib.auth.models import Group

from booking.models import Enquiry

EXPORT = "/admin/booking/enquiry/export/?date_from=2000-01-01&date_to=2999-12-31"


@pytest.fixture
def desk(client, django_user_model):
    user = django_user_model.objects.create_user("desk", is_staff=True)
    user.groups.add(Group.objects.get(name="Front desk"))
    client.force_login(user)
    return client


def exported_messages(client, *messages):
    for message in messages:
        Enquiry.objects.create(
            name="Alex", email="a@example.com", phone="+61412345678", consent=True, message=message
        )
    response = client.get(EXPORT)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return text, [row["Message"] for row in csv.DictReader(io.StringIO(text))]


@pytest.mark.parametrize(
    ("typed", "exported"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+61 2 5550", "'+61 2 5550"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t'=1+1"),
        ("\r=1+1", "'\r'=1+1"),
        ("  =1+1", "  '=1+1"),
        # A semicolon locale splits "x;=…" into "x" and a formula; a comma one splits "x,=…".
        ("x;=cmd|' /C calc'!A0", "x;'=cmd|' /C calc'!A0"),
        ("x,=1+1", "x,'=1+1"),
        ("x; @SUM(1)", "x; '@SUM(1)"),
        ("x\t-1", "x\t'-1"),
        ("first line\n=1+1", "first line\n'=1+1"),
        ("x;\uff1d1+1", "x;'\uff1d1+1"),
    ],
)
def test_a_cell_that_could_be_read_as_a_formula_is_quoted(desk, typed, exported):
    _text, messages = exported_messages(desk, typed)

    assert messages == [exported]


def test_ordinary_text_is_exported_as_typed(desk):
    typed = "Sore knee - twice a week, mostly after runs; e-mail me: a@b.co (x=2) or 0412-345-678"

    _text, messages = exported_messages(desk, typed)

    assert messages == [typed]


def test_no_line_of_the_file_has_a_formula_after_any_separator(desk):
    text, _messages = exported_messages(desk, "a;=1", "b,=2", "c\t=3", "=4", "d, +5", "e;-6")

    for separator in [",", ";", "\t"]:
        for line in text.splitlines():
            cells = [cell.strip(' "') for cell in line.split(separator)]
            assert not [cell for cell in cells if cell[:1] in {"=", "+", "-", "@"}], line
