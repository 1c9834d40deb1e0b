"""Light pages: the layout's HTML, CSS and JS are small compressed, one render-blocking request
(the stylesheet), and reading the site needs no third-party request."""

import gzip
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

READING_PAGES = ["/", "/blog/", "/stories/", "/services/", "/about/"]
BUDGET = 30 * 1024


class Resources(HTMLParser):
    """What a browser fetches for the page, and what blocks its first render."""

    def __init__(self):
        super().__init__()
        self.in_head = False
        self.fetched, self.blocking = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "head":
            self.in_head = True
        if tag == "link" and attrs.get("rel") in {"stylesheet", "icon", "manifest", "preload"}:
            self.fetched.append(attrs["href"])
            if attrs["rel"] == "stylesheet" and attrs.get("media", "all") in {"all", "screen"}:
                self.blocking.append(attrs["href"])
        if tag in {"script", "img", "iframe", "source", "video", "audio"} and attrs.get("src"):
            self.fetched.append(attrs["src"])
            if tag == "script" and self.in_head and not {"defer", "async"} & attrs.keys():
                if attrs.get("type") != "module":
                    self.blocking.append(attrs["src"])

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False


def parse(html):
    parser = Resources()
    parser.feed(html)
    return parser


def static_file(url):
    path = finders.find(url.removeprefix(settings.STATIC_URL))
    assert path, url
    return Path(path).read_bytes()


@pytest.mark.parametrize("path", READING_PAGES)
def test_reading_needs_no_third_party_request(demo, client, path):
    html = client.get(path).content.decode()
    external = [url for url in parse(html).fetched if re.match(r"(https?:)?//", url)]
    assert external == []


@pytest.mark.parametrize("path", READING_PAGES)
def test_one_render_blocking_request_the_stylesheet(demo, client, path):
    blocking = parse(client.get(path).content.decode()).blocking
    assert len(blocking) == 1 and blocking[0].endswith(".css")


def test_home_page_html_css_js_within_budget_compressed(demo, client):
    html = client.get("/").content
    resources = parse(html.decode())
    assets = [u for u in resources.fetched if u.endswith((".css", ".js"))]
    total = len(gzip.compress(html)) + sum(len(gzip.compress(static_file(u))) for u in assets)
    assert total <= BUDGET, f"{total} bytes compressed"
