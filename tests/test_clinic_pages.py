from datetime import UTC, datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from clinic.models import Clinic, Practitioner, Service

PAGES = [
    reverse("clinic:home"),
    reverse("clinic:about"),
    reverse("clinic:practitioner", kwargs={"slug": "jason-lee"}),
    reverse("clinic:services"),
    reverse("clinic:service", kwargs={"slug": "running-assessment"}),
    reverse("clinic:privacy"),
]


@pytest.mark.parametrize("url", PAGES)
def test_page_shows_the_clinic_facts_from_the_database(client, demo, url):
    response = client.get(url)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Westside Sports Chiro" in content
    assert demo.phone in content
    assert demo.street_address in content
    assert 'href="/book/"' in content


def test_home_page_lists_active_services_only(client, demo):
    Service.objects.filter(slug="injury-rehabilitation").update(is_active=False)

    content = client.get("/").content.decode()

    assert "Running assessment" in content
    assert "Injury rehabilitation" not in content


def test_about_page_introduces_the_team(client, demo):
    content = client.get("/about/").content.decode()

    assert "Jason Lee" in content
    assert "Joey Lee" in content
    assert 'href="/about/jason-lee/"' in content


def test_practitioner_page_shows_credentials_and_structured_data(client, demo):
    Practitioner.objects.filter(slug="joey-lee").update(registration_number="CHI0001234567")

    response = client.get("/about/joey-lee/")

    content = response.content.decode()
    assert "<h1>Joey Lee</h1>" in content
    assert "CHI0001234567" in content
    assert '"@type":"Physician"' in content


def test_inactive_practitioner_and_unknown_slugs_are_not_found(client, demo):
    Practitioner.objects.filter(slug="joey-lee").update(is_active=False)

    assert client.get("/about/joey-lee/").status_code == 404
    assert client.get("/about/nobody/").status_code == 404
    assert client.get("/services/nothing-here/").status_code == 404


def test_unknown_url_gets_the_sites_own_404_page(client, demo):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    content = response.content.decode()
    assert "We can’t find that page" in content
    assert "Westside Sports Chiro" in content
    assertContains(response, '<meta name="robots" content="noindex">', status_code=404, html=True)


def test_dates_read_as_in_australia(client, demo):
    content = client.get("/privacy/").content.decode()

    assert "Last updated 1 February 2026" in content


@pytest.mark.parametrize(
    ("utc", "year"),
    [
        (datetime(2026, 12, 31, 12, 30, tzinfo=UTC), 2026),  # 23:30 on New Year's Eve in Sydney
        (datetime(2026, 12, 31, 13, 30, tzinfo=UTC), 2027),  # 00:30 on New Year's Day in Sydney
    ],
)
def test_copyright_year_is_the_year_in_sydney(time_machine, client, clinic, utc, year):
    time_machine.move_to(utc)

    assert f"© {year} Westside Sports Chiro." in client.get("/").content.decode()


def test_pages_render_before_any_content_is_loaded(client, db):
    # A fresh database with no clinic record yet must not break the layout.
    for url in ["/", "/about/", "/services/", "/privacy/"]:
        assert client.get(url).status_code == 200


def count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("url", ["/", "/about/", "/services/"])
def test_query_count_is_small_and_does_not_grow_with_content(client, demo, url):
    few = count_queries(client, url)
    for number in range(100):
        Service.objects.create(name=f"Service {number}", slug=f"service-{number}", summary="x")
        Practitioner.objects.create(name=f"P {number}", slug=f"p-{number}", role="Chiropractor")

    many = count_queries(client, url)

    assert few <= 8
    assert many == few


def test_clinic_record_is_single(db):
    Clinic.objects.create(name="A", phone="1", email="a@example.com", postcode="2000")
    second = Clinic(name="B", phone="2", email="b@example.com", postcode="2000")
    second.save()

    assert Clinic.objects.count() == 1
    assert Clinic.objects.get().name == "B"


def test_sitemap_lists_every_clinic_page_with_a_last_modified_date(moment, client, demo_made_now):
    import xml.etree.ElementTree as ET

    root = ET.fromstring(client.get("/sitemap.xml").content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    entries = {
        url.find("s:loc", ns).text.removeprefix("http://testserver"): url.find("s:lastmod", ns)
        for url in root.findall("s:url", ns)
    }

    for path in ["/", "/about/", "/about/jason-lee/", "/services/running-assessment/", "/privacy/"]:
        assert path in entries
        assert entries[path] is not None, f"{path} has no lastmod"
        assert entries[path].text == moment.sydney_date.isoformat()
