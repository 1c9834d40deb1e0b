"""Article bodies from Webflow and WordPress, cleaned the site's way.

The old site's markup is first reshaped into what the editor holds (Gutenberg block comments and
shortcodes removed with their content kept, WordPress's blank-line paragraphs made paragraphs,
YouTube embeds made a paragraph holding only the video's link, which blog.rendering turns into
the click-to-load facade), then put through the editor's own allow-list (blog.sanitise). Inline
images are collected on the way: the editor cannot hold them, so the importer reports them.
"""

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from blog.rendering import youtube_id
from blog.sanitise import sanitise_body

EMBED_BLOCK = r"wp:(?:core-embed/\w+|embed)"  # Gutenberg's embed block, old name and new
GUTENBERG_EMBED = re.compile(
    rf"<!--\s*{EMBED_BLOCK}\s*(\{{.*?\}})?\s*-->(.*?)<!--\s*/{EMBED_BLOCK}\s*-->", re.S
)
COMMENT = re.compile(r"<!--.*?-->", re.S)
IFRAME = re.compile(r"<iframe\b[^>]*?\bsrc=([\"'])(?P<src>.*?)\1[^>]*>.*?</iframe>", re.S | re.I)
# WordPress's own shortcodes and those of the page builders clinics use (Visual Composer,
# Divi, Avada); any other [word] is left alone, as it may be text.
SHORTCODE_NAMES = (
    r"(?:caption|wp_caption|embed|youtube|gallery|audio|video|playlist"
    r"|vc_\w+|et_pb_\w+|fusion_\w+|contact-form(?:-7)?)"
)
CAPTION = re.compile(r"\[(?:wp_)?caption\b[^\]]*\](?P<inner>.*?)\[/(?:wp_)?caption\]", re.S)
EMBED = re.compile(r"\[embed\b[^\]]*\](?P<url>.*?)\[/embed\]", re.S)
JETPACK_YOUTUBE = re.compile(r"\[youtube[= ](?P<url>[^\]\s]+)[^\]]*\]")
SHORTCODE = re.compile(rf"\[/?(?P<name>{SHORTCODE_NAMES})\b[^\]]*\]")
URL_LINE = re.compile(r"^[ \t]*(?P<url>https?://[^\s<>\"]+)[ \t]*$", re.M)
BLOCK_START = re.compile(
    r"^<(?:p|h[1-6]|ul|ol|li|blockquote|figure|figcaption|div|table|hr|pre|section|iframe)\b",
    re.I,
)
EMPTY_LINK = re.compile(r'<a href="[^"]*"(?: title="[^"]*")?>\s*</a>')
HREFLESS_LINK = re.compile(r"<a>(.*?)</a>", re.S)  # its javascript: or data: URL was dropped
EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|<br>)*</p>")


@dataclass
class CleanedBody:
    html: str
    images: list = field(default_factory=list)  # [(src, alt)] of the inline images
    notes: list = field(default_factory=list)  # what was changed that staff should know


class _ImageCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.images = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            values = dict(attrs)
            src = (values.get("src") or "").strip()
            if src:
                self.images.append((src, (values.get("alt") or "").strip()))


def _video_paragraph(url):
    video_id = youtube_id(url)
    if video_id:
        return f"\n\n<p>https://www.youtube.com/watch?v={video_id}</p>\n\n"
    return None


def _gutenberg_embed(match, notes):
    url = ""
    if match.group(1):
        try:
            url = json.loads(match.group(1)).get("url", "")
        except (ValueError, AttributeError):
            url = ""
    if not url:
        found = re.search(r"https?://[^\s<>\"]+", match.group(2))
        url = found.group(0) if found else ""
    return _embed(url, notes)


def _embed(url, notes):
    url = url.strip()
    if not url:
        return ""
    video = _video_paragraph(url)
    if video:
        return video
    notes.append(f"an embed of {url} became a link")
    return f'\n\n<p><a href="{url}">{url}</a></p>\n\n'


def _iframe(match, notes):
    src = match["src"].strip()
    if src.startswith("//"):
        src = "https:" + src
    return _embed(src, notes)


def _shortcodes(text, notes):
    text = CAPTION.sub(lambda m: f"\n\n<p>{m['inner'].strip()}</p>\n\n", text)
    text = EMBED.sub(lambda m: _embed(m["url"], notes), text)
    text = JETPACK_YOUTUBE.sub(lambda m: _embed(m["url"], notes), text)
    removed = sorted({m["name"] for m in SHORTCODE.finditer(text)})
    if removed:
        notes.append("shortcodes removed, their text kept: " + ", ".join(f"[{n}]" for n in removed))
    return SHORTCODE.sub("", text)


def _paragraphs(text):
    """WordPress stores paragraphs as blank lines (wpautop adds the <p> when showing a post)."""
    chunks = []
    for chunk in re.split(r"\n[ \t]*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if BLOCK_START.match(chunk):
            chunks.append(chunk)
        else:
            chunks.append("<p>" + re.sub(r"\s*\n\s*", "<br>", chunk) + "</p>")
    return "\n".join(chunks)


def clean_body(raw):
    """The body as the editor would hold it, its inline images, and notes on what changed."""
    notes = []
    text = (raw or "").replace("\r\n", "\n").replace("\r", "\n")
    collector = _ImageCollector()
    collector.feed(text)
    collector.close()
    text = GUTENBERG_EMBED.sub(lambda m: _gutenberg_embed(m, notes), text)
    text = COMMENT.sub("", text)
    text = _shortcodes(text, notes)
    text = IFRAME.sub(lambda m: _iframe(m, notes), text)
    text = URL_LINE.sub(lambda m: _video_paragraph(m["url"]) or m.group(0), text)
    text = re.sub(r"<(/?)h1\b", r"<\1h2", text, flags=re.I)
    text = re.sub(r"<(/?)h[56]\b", r"<\1h4", text, flags=re.I)
    text = re.sub(r"<(/?)figcaption\b", r"<\1p", text, flags=re.I)
    html = sanitise_body(_paragraphs(text))
    html = HREFLESS_LINK.sub(r"\1", EMPTY_LINK.sub("", html))
    html = EMPTY_PARAGRAPH.sub("", html).strip()
    return CleanedBody(html=html, images=collector.images, notes=notes)
