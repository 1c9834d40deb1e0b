"""The allow-list for article bodies: exactly what the admin editor can produce, nothing more.

Everything else is dropped (its text kept), so HTML pasted from a document or posted straight
to the admin keeps its structure (headings, lists, links, emphasis) and loses the rest: scripts,
event handlers, styles, classes, images, iframes, `javascript:` and `data:` URLs.
"""

import nh3

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "em", "ul", "ol", "li", "blockquote", "a", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

# The editor's toolbar, kept in step with ALLOWED_TAGS (django-prose-editor's extension names).
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": sorted(URL_SCHEMES)},
    "History": True,
}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    # Links stay in the same tab, so no rel is needed; internal links keep their referrer.
    link_rel=None,
    strip_comments=True,
)


def sanitise_body(html):
    """The body as it may be stored: allow-listed, and empty when nothing but whitespace is left."""
    cleaned = _cleaner.clean(html or "").strip()
    if cleaned in {"", "<p></p>"}:
        return ""
    return cleaned
