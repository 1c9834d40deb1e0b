"""What the site shows of a sanitised body: heading anchors, a table of contents, the reading
time and the video facade. Computed when a post is saved, never per request.

The input is always nh3's serialisation of an allow-listed body (blog.sanitise), so its markup is
regular: lower-case tags, no attributes on headings and paragraphs, double-quoted `href`s. That is
what lets these small regular expressions stand in for an HTML parser.
"""

import html
import math
import re
from dataclasses import dataclass, field

from django.utils.html import escape, format_html, strip_tags
from django.utils.text import slugify

WORDS_PER_MINUTE = 200
HEADING = re.compile(r"<h([234])>(.*?)</h\1>", re.S)
PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
LONE_LINK = re.compile(
    r'\s*<a href="(?P<href>[^"]+)"(?: title="[^"]*")?>(?P<text>.*?)</a>\s*', re.S
)
YOUTUBE_URL = re.compile(
    r"^https?://(?:www\.|m\.)?(?:youtube\.com/(?:watch\?(?:.*&)?v=|embed/|shorts/|live/)"
    r"|youtube-nocookie\.com/embed/|youtu\.be/)(?P<id>[A-Za-z0-9_-]{11})(?:[?&#/].*)?$"
)


@dataclass
class RenderedBody:
    html: str
    toc: list = field(default_factory=list)
    reading_minutes: int = 1


def youtube_id(url):
    match = YOUTUBE_URL.match(html.unescape(url).strip())
    return match["id"] if match else None


def _text(fragment):
    return " ".join(html.unescape(strip_tags(fragment)).split())


def video_facade(video_id, title):
    """A link to the video that static/js/video.js turns into a youtube-nocookie player on click.

    The poster is the site's own (a CSS background from static/img), so nothing is fetched from
    YouTube until the visitor asks for the video; without JavaScript it is simply a link.
    """
    return format_html(
        '<figure class="video">'
        '<a class="video-facade" href="https://www.youtube.com/watch?v={id}" data-video-id="{id}"'
        ' data-video-title="{title}" aria-label="Play video: {title}">'
        '<span class="video-play" aria-hidden="true"></span>'
        '<span class="video-label">Play video</span>'
        "</a>"
        "<figcaption>Video: {title} (plays from YouTube when you press play)</figcaption>"
        "</figure>",
        id=video_id,
        title=title,
    )


def _embed_videos(body, default_title):
    def replace(match):
        inner = match.group(1)
        link = LONE_LINK.fullmatch(inner)
        url = link["href"] if link else inner.strip()
        if not link and ("<" in url or " " in url):
            return match.group(0)
        video_id = youtube_id(url)
        if not video_id:
            return match.group(0)
        text = _text(link["text"]) if link else ""
        title = text if text and not text.startswith(("http://", "https://")) else default_title
        return video_facade(video_id, title or "YouTube video")

    return PARAGRAPH.sub(replace, body)


def _anchor_headings(body):
    toc, used = [], set()

    def replace(match):
        level, inner = match.group(1), match.group(2)
        text = _text(inner)
        base = slugify(text)
        if len(base) > 80:
            base = base[:80].rsplit("-", 1)[0]
        base = base or "section"
        anchor, n = base, 2
        while anchor in used:
            anchor, n = f"{base}-{n}", n + 1
        used.add(anchor)
        toc.append({"id": anchor, "text": text, "level": int(level)})
        return f'<h{level} id="{escape(anchor)}">{inner}</h{level}>'

    return HEADING.sub(replace, body), toc


def reading_minutes(body):
    words = len(_text(body).split())
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def render_body(sanitised_html, *, video_title=""):
    minutes = reading_minutes(sanitised_html)
    body, toc = _anchor_headings(sanitised_html)
    body = _embed_videos(body, video_title)
    return RenderedBody(html=body, toc=toc, reading_minutes=minutes)
