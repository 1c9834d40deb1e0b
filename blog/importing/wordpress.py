"""WordPress exports (WXR 1.0-1.2, Tools → Export): an RSS file whose items are posts, pages,
attachments and menu items, with WordPress's own fields in the wp: namespace.

Parsed with defusedxml: an export never needs a DTD or entities, so a file declaring them is
refused before anything is read (the "billion laughs" and external-entity attacks).
"""

from datetime import UTC, datetime
from urllib.parse import unquote
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import parse
from django.utils import timezone

from blog.importing.records import ImportFailed, PostRecord
from clinic.redirects import normalise_address

CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
STATUSES = {"publish": True, "future": True, "draft": False, "pending": False, "private": False}
NO_DATE = "0000-00-00 00:00:00"


def _load(path):
    name = str(path)
    try:
        tree = parse(path, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise ImportFailed(
            f"{name}: refused, the file declares a DTD or entities ({type(error).__name__}), "
            "which a WordPress export never does"
        ) from None
    except ParseError as error:
        line, column = error.position
        raise ImportFailed(f"{name}, line {line}, column {column}: not well-formed XML") from None
    except OSError as error:
        raise ImportFailed(f"{name}: cannot be read ({error.strerror})") from None
    channel = tree.getroot().find("channel")
    if tree.getroot().tag != "rss" or channel is None:
        raise ImportFailed(f"{name}: not a WordPress export (no <rss><channel>)")
    version = next((c for c in channel if c.tag.endswith("}wxr_version")), None)
    if version is None:
        raise ImportFailed(f"{name}: not a WordPress export (no wp:wxr_version)")
    return channel, version.tag[: -len("wxr_version")]


def _text(element, tag):
    found = element.find(tag)
    return (found.text or "").strip() if found is not None and found.text else ""


def _meta(item, wp):
    return {
        _text(meta, f"{wp}meta_key"): _text(meta, f"{wp}meta_value")
        for meta in item.findall(f"{wp}postmeta")
    }


def _date(item, wp, where):
    gmt = _text(item, f"{wp}post_date_gmt")
    local = _text(item, f"{wp}post_date")
    try:
        if gmt and gmt != NO_DATE:
            return datetime.strptime(gmt, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
        if local and local != NO_DATE:
            # A draft has no GMT date; its local one is taken in the clinic's time zone.
            naive = datetime.strptime(local, "%Y-%m-%d %H:%M:%S")
            return timezone.make_aware(naive)
    except ValueError:
        raise ImportFailed(f"{where}: {gmt or local!r} is not a date") from None
    return None


def read_export(path):
    """(posts, skipped) where skipped counts the other items by type: {"page": 2, …}."""
    channel, wp = _load(path)
    authors = {
        _text(author, f"{wp}author_login"): _text(author, f"{wp}author_display_name")
        for author in channel.findall(f"{wp}author")
    }
    items = channel.findall("item")
    attachments = {}
    for item in items:
        if _text(item, f"{wp}post_type") == "attachment":
            attachments[_text(item, f"{wp}post_id")] = (
                _text(item, f"{wp}attachment_url"),
                _meta(item, wp).get("_wp_attachment_image_alt", ""),
            )
    posts, skipped = [], {}
    for number, item in enumerate(items, start=1):
        post_type = _text(item, f"{wp}post_type")
        post_id = _text(item, f"{wp}post_id")
        title = _text(item, "title")
        where = f"{path}, item {number} (post {post_id or '?'} “{title}”)"
        status = _text(item, f"{wp}status")
        if post_type != "post" or status not in STATUSES:
            key = post_type if post_type != "post" else f"post with status {status or 'none'}"
            skipped[key] = skipped.get(key, 0) + 1
            continue
        if not post_id.isdigit():
            raise ImportFailed(f"{where}: no wp:post_id")
        login = _text(item, CREATOR)
        image_url, image_alt = attachments.get(_meta(item, wp).get("_thumbnail_id", ""), ("", ""))
        addresses = [f"/?p={post_id}"]
        link = _text(item, "link")
        if link:
            addresses.insert(0, normalise_address(link))
        excerpt = next((c for c in item if c.tag.endswith("excerpt/}encoded")), None)
        posts.append(
            PostRecord(
                source="wordpress-post",
                item_id=post_id,
                label=where,
                title=title,
                slug=unquote(_text(item, f"{wp}post_name")),
                body=(item.findtext(CONTENT) or ""),
                summary=(excerpt.text or "") if excerpt is not None else "",
                published_at=_date(item, wp, where),
                is_published=STATUSES[status],
                image_url=image_url,
                image_alt=image_alt,
                author=authors.get(login, login),
                topics=[
                    (category.text.strip(), category.get("nicename", ""))
                    for category in item.findall("category")
                    if category.get("domain") == "category"
                    and (category.text or "").strip()
                    and category.get("nicename") != "uncategorized"  # WordPress's default
                ],
                old_addresses=list(dict.fromkeys(addresses)),
            )
        )
    return posts, skipped
