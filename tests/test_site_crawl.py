"""Every page of the demo site, found by following links, checked as a search engine, a screen
reader and the Content-Security-Policy would: status, valid HTML, links and assets, head tags,
headings, images, structured data, inline code. Pages new apps add are covered once linked.
"""

import json
from io import BytesIO

import pytest
from django.db import transaction
from django.test import Client
from PIL import Image

from tests import crawl

# Marked so pytest-django creates the test database, which the module-wide crawl fixture uses;
# and for pytest-xdist, so one worker runs the module and crawls once.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("site_crawl")]


NOT_FOUND = "/no-such-page/"


@pytest.fixture(scope="module")
def site_crawl(django_db_setup, django_db_blocker, demo_snapshot):
    """One crawl of the demo site through the test client, shared by this module's tests."""
    client = Client()
    with django_db_blocker.unblock(), transaction.atomic():
        demo_snapshot.load()
        result = crawl.crawl(client.get)
        # The error page is no link's target, but visitors see it: checked like the others.
        response = client.get(NOT_FOUND)
        result.error_page = crawl.Page.parse(NOT_FOUND, response.status_code, response.text)
        transaction.set_rollback(True)
    return result


def report(problems):
    return "\n" + "\n".join(problems)


def test_crawl_finds_the_sites_pages(site_crawl):
    # A floor, so a crawl that silently stops early (a broken nav, say) fails here.
    found = set(site_crawl.pages)
    assert {"/", "/about/", "/services/", "/privacy/", "/blog/", "/stories/", "/book/"} <= found
    assert any(path.startswith("/about/") and path != "/about/" for path in found)
    assert any(path.startswith("/services/") and path != "/services/" for path in found)


def test_every_link_image_and_asset_answers_200(site_crawl):
    assert not site_crawl.problems, report(site_crawl.problems)


def test_every_page_has_its_head_headings_images_ids_and_no_inline_code(site_crawl):
    problems = [p for page in site_crawl.pages.values() for p in crawl.check_page(page)]
    assert not problems, report(problems)


def test_titles_and_descriptions_are_unique(site_crawl):
    pages = list(site_crawl.pages.values())
    problems = crawl.check_unique(pages, "title", lambda page: page.title)
    problems += crawl.check_unique(
        pages, "description", lambda page: (page.meta(name="description") or [""])[0]
    )
    assert not problems, report(problems)


def test_canonical_links_point_at_the_page_itself_or_its_unfiltered_address(site_crawl):
    problems = []
    for page in site_crawl.pages.values():
        href = page.links_with_rel("canonical")[0].attrs["href"]
        if crawl.internal_path(href, "http://testserver/") != page.url.split("?")[0]:
            problems.append(f"{page.url}: canonical {href} is not the page's own address")
    assert not problems, report(problems)


def test_every_page_is_valid_html(site_crawl):
    # One run of vnu.jar for every page (a JVM start costs seconds).
    problems = crawl.validate_html([*site_crawl.pages.values(), site_crawl.error_page])
    assert not problems, report(problems)


def test_sitemap_lists_every_indexable_page_with_a_last_modified_date(site_crawl):
    entries = crawl.sitemap_entries(site_crawl.bodies["/sitemap.xml"])
    listed = {path for path, _lastmod in entries}
    problems = [f"sitemap: {path} has no <lastmod>" for path, lastmod in entries if not lastmod]
    for page in site_crawl.pages.values():
        if "?" not in page.url and not page.noindex and page.url not in listed:
            problems.append(f"{page.url}: is public but missing from sitemap.xml")
    assert not problems, report(problems)


def test_robots_txt_points_at_the_sitemap_and_keeps_out_admin_and_previews(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text.splitlines()
    assert {"/admin/", "/blog/preview/"} <= set(crawl.robots_disallowed(text))


def test_favicon_ico_leads_to_the_sites_icon_and_admin_pages_name_it(client):
    response = client.get("/favicon.ico", follow=True)
    assert response.redirect_chain[0][1] == 302
    assert response.status_code == 200 and response["Content-Type"] == "image/png"

    login = client.get("/admin/login/").content.decode()
    assert 'rel="icon"' in login and "img/favicon.svg" in login


def test_feeds_linked_from_the_head_are_valid_xml(site_crawl):
    # The blog adds its feeds; every feed any page links to must answer and parse.
    problems = []
    for page in site_crawl.pages.values():
        for link in page.links_with_rel("alternate"):
            if "xml" not in link.attrs.get("type", ""):
                continue
            path = crawl.internal_path(link.attrs.get("href", ""), "http://testserver/")
            if not link.attrs.get("title"):
                problems.append(f"{page.url}: feed link {link.describe()} has no title")
            if path is None or path not in site_crawl.bodies:
                problems.append(f"{page.url}: feed {link.attrs.get('href')} was not fetched")
                continue
            try:
                crawl.ElementTree.fromstring(site_crawl.bodies[path])
            except crawl.ElementTree.ParseError as error:
                problems.append(f"{path}: feed is not well-formed XML: {error}")
    assert not problems, report(problems)


def test_web_app_manifest_and_icons_are_valid(site_crawl):
    manifests = {
        crawl.internal_path(link.attrs["href"], "http://testserver/")
        for page in site_crawl.pages.values()
        for link in page.links_with_rel("manifest")
    }
    assert len(manifests) == 1, manifests
    path = manifests.pop()
    assert site_crawl.resources[path][1].startswith("application/manifest+json")
    manifest = json.loads(site_crawl.bodies[path])
    for key in ("name", "short_name", "start_url", "display", "theme_color", "icons"):
        assert manifest.get(key), f"{path}: manifest has no {key}"
    sizes = set()
    for icon in manifest["icons"]:
        icon_path = crawl.internal_path(icon["src"], f"http://testserver{path}")
        width, height = Image.open(BytesIO(site_crawl.bodies[icon_path])).size
        assert icon["sizes"] == f"{width}x{height}", f"{icon_path}: is {width}x{height}"
        sizes.add(icon["sizes"])
    # Installable on Android needs 192 and 512 pixel icons.
    assert {"192x192", "512x512"} <= sizes


def test_favicons_and_open_graph_image_are_images(site_crawl):
    home = site_crawl.pages["/"]
    paths = [link.attrs["href"] for link in home.links_with_rel("icon")]
    paths += [link.attrs["href"] for link in home.links_with_rel("apple-touch-icon")]
    paths += home.meta(property="og:image")
    for url in paths:
        path = crawl.internal_path(url, "http://testserver/")
        status, content_type = site_crawl.resources[path]
        assert status == 200 and content_type.startswith("image/"), (path, content_type)
    og = crawl.internal_path(home.meta(property="og:image")[0], "http://testserver/")
    # Facebook, LinkedIn and others show a large card from 1200x630.
    assert Image.open(BytesIO(site_crawl.bodies[og])).size == (1200, 630)


def test_pages_are_served_compressed(client, demo):
    # Lighthouse's "enable text compression": HTML is gzipped (static files by whitenoise).
    response = client.get("/", headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"


def jsonld_types(page):
    types = set()
    for script in page.find("script", type="application/ld+json"):
        data = json.loads(script.text)
        for item in data.get("@graph", [data]) if isinstance(data, dict) else data:
            types.add(item.get("@type"))
    return types


def test_structured_data_has_the_expected_types(site_crawl):
    assert "MedicalClinic" in jsonld_types(site_crawl.pages["/"])
    practitioners = [
        page
        for path, page in site_crawl.pages.items()
        if path.startswith("/about/") and path.count("/") == 3 and "?" not in path
    ]
    assert practitioners
    for page in practitioners:
        assert "Physician" in jsonld_types(page), f"{page.url}: no Physician JSON-LD"


def test_the_not_found_page_passes_the_same_checks(site_crawl):
    page = site_crawl.error_page
    assert page.status == 404
    assert page.noindex, f"{NOT_FOUND}: a 404 page must not be indexed"
    problems = crawl.check_page(page)
    assert not problems, report(problems)


def feed_views(patterns=None):
    """The syndication feeds the URLconf routes to (the blog adds its RSS and Atom feeds)."""
    from django.contrib.syndication.views import Feed
    from django.urls import URLResolver, get_resolver

    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            found += feed_views(pattern.url_patterns)
        elif isinstance(pattern.callback, Feed):
            found.append(pattern.callback)
    return found


def test_the_home_page_links_the_sites_feeds_from_its_head(site_crawl):
    # Feed readers discover feeds from the address people paste: the home page.
    feeds = feed_views()
    assert feeds, "the URLconf has no syndication feed"
    linked = [
        link
        for link in site_crawl.pages["/"].links_with_rel("alternate")
        if link.attrs.get("type") in {"application/rss+xml", "application/atom+xml"}
    ]
    assert linked, f"/: links none of the site's {len(feeds)} feeds from its <head>"
