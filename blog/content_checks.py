"""Checks of an article before it is published: the advertising rules (which block publishing
unless a reason is recorded) and the readers-and-search checks (warnings only).

Advertising a regulated health service: section 133 of the National Law forbids advertising that
is false or misleading, offers a gift or inducement without its terms, uses testimonials about
clinical care, creates an unreasonable expectation of benefit or encourages needless use of the
service. The Chiropractic Board's examples add treating conditions outside the musculoskeletal
scope (asthma, colic, ADHD, autism...). Like the screening of patient stories, these rules err
towards flagging and a person decides: every rule carries the reason staff see next to the word.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass(frozen=True)
class Rule:
    label: str
    pattern: str
    why: str
    case_sensitive: bool = False


_EXPECTATION = (
    "creates an unreasonable expectation of benefit (National Law s133(1)(e)): say what "
    "treatment may help with, not what it will do"
)
_OUT_OF_SCOPE = (
    "is outside the musculoskeletal scope: the Chiropractic Board treats claims about it as "
    "misleading (s133(1)(a)) unless backed by acceptable evidence"
)
_SUPERLATIVE = (
    "is a superlative about the clinic or its people that cannot be substantiated, so it is "
    "misleading (s133(1)(a))"
)
_TESTIMONIAL = (
    "looks like a patient testimonial: testimonials about clinical care may not be used in "
    "advertising (s133(1)(c))"
)

ADVERTISING_RULES = [
    # Claims to cure or guarantee, absolute claims of safety.
    Rule("cure", r"cur(?:e|es|ed|ing)|curative", f"A claim to cure {_EXPECTATION}."),
    Rule("guarantee", r"guarantee(?:s|d)?", f"A guaranteed result {_EXPECTATION}."),
    Rule("100%", r"100\s?(?:%|per ?cent)", f"“100%” is an absolute claim that {_EXPECTATION}."),
    Rule(
        "miracle",
        r"miracles?|miraculous|instant relief",
        f"A miracle or instant result {_EXPECTATION}.",
    ),
    Rule(
        "safe",
        r"(?:100%|completely|totally|perfectly|absolutely|entirely|always|guaranteed)\s+safe"
        r"|safe\s+for\s+(?:everyone|everybody|anyone|all\s+ages)|no\s+side[- ]effects",
        "“Safe” as an absolute claim is misleading (s133(1)(a)): every treatment carries some "
        "risk; describe the risks instead.",
    ),
    Rule(
        "risk-free",
        r"risk[- ]?free|no\s+risks?|without\s+(?:any\s+)?risks?",
        "“Risk-free” is an absolute claim and misleading (s133(1)(a)): every treatment carries "
        "some risk.",
    ),
    # Conditions outside the musculoskeletal scope.
    Rule("asthma", r"asthma(?:tic)?", f"Asthma {_OUT_OF_SCOPE}."),
    Rule("colic", r"colic(?:ky)?", f"Infant colic {_OUT_OF_SCOPE}."),
    Rule("ADHD", r"adhd|attention deficit", f"ADHD {_OUT_OF_SCOPE}."),
    Rule("autism", r"autis(?:m|tic)|asd", f"Autism {_OUT_OF_SCOPE}."),
    Rule("infertility", r"(?:in)?fertility", f"Fertility {_OUT_OF_SCOPE}."),
    Rule("ear infection", r"ear\s+infections?|otitis", f"Ear infections {_OUT_OF_SCOPE}."),
    Rule("bed-wetting", r"bed[- ]?wetting|enuresis", f"Bed-wetting {_OUT_OF_SCOPE}."),
    Rule(
        "immunity",
        r"immun(?:e|ity|ities)|immune\s+system",
        f"The immune system {_OUT_OF_SCOPE}.",
    ),
    Rule(
        "vaccination",
        r"vaccin(?:e|es|ate|ated|ation|ations)|immunis(?:e|ation)|immuniz(?:e|ation)",
        "Vaccination is outside a chiropractor's scope: the Board forbids advice or claims "
        "against it.",
    ),
    Rule(
        "other condition",
        r"cancer|diabetes|allerg(?:y|ies)|epilepsy|reflux|hypertension|high blood pressure",
        f"This condition {_OUT_OF_SCOPE}.",
    ),
    # Superlatives about the clinic.
    Rule(
        "best",
        r"(?:the\s+)?best\s+(?:sports\s+)?(?:chiro\w*|clinics?|practitioners?|care|treatments?"
        r"|team|in\s+(?:sydney|town|australia|the\s+\w+))|(?:sydney|australia)['’]s\s+best",
        f"“Best” {_SUPERLATIVE}.",
    ),
    Rule(
        "leading",
        r"leading\s+(?:sports\s+)?(?:chiro\w*|clinics?|practi\w+|providers?|experts?"
        r"|specialists?)|(?:sydney|australia)['’]s\s+leading",
        f"“Leading” {_SUPERLATIVE}.",
    ),
    Rule(
        "number one",
        r"number\s+one|no\.\s?1|#\s?1|world[- ]class|unrivall?ed|unbeatable|second to none",
        f"This {_SUPERLATIVE}.",
    ),
    # Testimonials inside an article.
    Rule(
        "testimonial",
        r"testimonials?|(?:one\s+of\s+)?our\s+(?:patients?|clients?)\s+(?:said|says|told|wrote)"
        r"|what\s+our\s+(?:patients|clients)\s+say|patient\s+stor(?:y|ies)|(?:5|five)[- ]star",
        f"This {_TESTIMONIAL}.",
    ),
    Rule(
        "quoted patient",
        r"[“\"][^”\"]{10,300}[”\"]\s*[—–-]\s*[A-Z][a-z]+(?:\s+[A-Z]\.?)?",
        f"A quotation signed with a name {_TESTIMONIAL}.",
        case_sensitive=True,
    ),
]

_COMPILED = [
    (
        rule,
        re.compile(
            rf"(?<!\w)(?:{rule.pattern})(?!\w)", 0 if rule.case_sensitive else re.IGNORECASE
        ),
    )
    for rule in ADVERTISING_RULES
]


@dataclass(frozen=True)
class Flag:
    """A word or phrase the advertising rules flagged, as written, and why."""

    term: str
    label: str
    why: str


def advertising_flags(text):
    """The flagged words of `text`, in the order they appear, each once."""
    found = []
    for rule, pattern in _COMPILED:
        for match in pattern.finditer(text or ""):
            found.append((match.start(), " ".join(match.group(0).split()), rule))
    flags, seen = [], set()
    for _position, term, rule in sorted(found, key=lambda item: item[0]):
        if term.lower() not in seen:
            seen.add(term.lower())
            flags.append(Flag(term=term, label=rule.label, why=rule.why))
    return flags


def flagged_terms(flags):
    """The flags as one line for the record: "cures, asthma, guaranteed"."""
    return ", ".join(flag.term for flag in flags)


# Reading the body: headings, links and text, from the sanitised HTML.

BLOCK_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "br", "hr", "div"}


class _BodyReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headings = []  # [level, text]
        self.links = []  # [href, text]
        self.images_without_alt = 0
        self.parts = []
        self._heading = None
        self._link = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in BLOCK_TAGS:
            self.parts.append("\n")
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = [int(tag[1]), ""]
        elif tag == "a":
            self._link = [attributes.get("href") or "", ""]
        elif tag == "img" and not (attributes.get("alt") or "").strip():
            self.images_without_alt += 1

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self.parts.append("\n")
        if self._heading and tag == f"h{self._heading[0]}":
            self.headings.append(self._heading)
            self._heading = None
        elif self._link and tag == "a":
            self.links.append(self._link)
            self._link = None

    def handle_data(self, data):
        self.parts.append(data)
        if self._heading:
            self._heading[1] += data
        if self._link:
            self._link[1] += data

    @property
    def text(self):
        return re.sub(r"[ \t]+", " ", "".join(self.parts)).strip()


def read_body(html):
    reader = _BodyReader()
    reader.feed(html or "")
    reader.close()
    return reader


def body_text(html):
    """The article's words, one block per line (for the advertising rules and for diffs)."""
    lines = (line.strip() for line in read_body(html).text.splitlines())
    return "\n".join(line for line in lines if line)


VAGUE_LINK_TEXT = {
    "click here", "here", "read more", "more", "this link", "link", "this", "learn more",
    "find out more", "this page", "this article", "go",
}  # fmt: skip


def _syllables(word):
    groups = re.findall(r"[aeiouy]+", word.lower())
    count = len(groups)
    if word.lower().endswith("e") and not word.lower().endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(count, 1)


def reading_ease(text):
    """Flesch reading ease of `text` (higher is easier; 60 and over is plain English), or None
    when there are too few words to score."""
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", text)
    if len(words) < 30:
        return None
    sentences = max(1, len([s for s in re.split(r"[.!?]+|\n+", text) if re.search(r"\w", s)]))
    syllables = sum(_syllables(word) for word in words)
    return round(206.835 - 1.015 * len(words) / sentences - 84.6 * syllables / len(words))


@dataclass(frozen=True)
class Check:
    """One reader-and-search check: passed or not, and what to do about it."""

    name: str
    ok: bool
    message: str


@dataclass(frozen=True)
class Report:
    flags: list = field(default_factory=list)
    checks: list = field(default_factory=list)

    @property
    def flagged(self):
        return bool(self.flags)


TITLE_LENGTH = (20, 60)
DESCRIPTION_LENGTH = (70, 160)
EASY_READING = 50


def _length_check(name, text, bounds, what):
    low, high = bounds
    length = len(text.strip())
    if low <= length <= high:
        return Check(name, True, f"{length} characters.")
    return Check(name, False, f"{length} characters: aim for {low} to {high} ({what}).")


def _heading_checks(headings):
    h1s = sum(1 for level, _ in headings if level == 1)
    checks = [
        Check(
            "One main heading",
            h1s == 0,
            "The title is the page's only main heading."
            if h1s == 0
            else "The text has its own main heading (h1): use “Heading 2” instead.",
        )
    ]
    previous, skipped = 1, []
    for level, text in headings:
        if level > previous + 1:
            skipped.append(f"“{text.strip()}” (h{level} after h{previous})")
        previous = level
    checks.append(
        Check(
            "Heading levels in order",
            not skipped,
            "Each heading is at most one level below the one before."
            if not skipped
            else "A level is skipped at " + "; ".join(skipped) + ".",
        )
    )
    return checks


def _link_check(links):
    vague = [text.strip() for _href, text in links if text.strip().lower() in VAGUE_LINK_TEXT]
    empty = sum(1 for _href, text in links if not text.strip())
    if not vague and not empty:
        return Check("Link text", True, "Every link says where it goes.")
    problems = [f"“{text}”" for text in vague] + (["a link without text"] * bool(empty))
    return Check(
        "Link text",
        False,
        f"Say where the link goes instead of {', '.join(problems)}.",
    )


def check_article(
    *,
    title,
    summary,
    body,
    seo_description="",
    images=(),
    reviewed_by=None,
    last_reviewed=None,
):
    """Every check of one article. `body` is sanitised HTML; `images` are (present, alt) pairs
    of the article's own images (hero, social)."""
    reader = read_body(body)
    text = body_text(body)
    flags = advertising_flags("\n".join([title, summary, seo_description, text]))
    missing_alt = reader.images_without_alt + sum(
        1 for present, alt in images if present and not alt.strip()
    )
    ease = reading_ease(text)
    description = seo_description.strip() or summary
    checks = [
        _length_check("Title length", title, TITLE_LENGTH, "search results cut long titles"),
        _length_check(
            "Description length",
            description,
            DESCRIPTION_LENGTH,
            "the SEO description, or the summary if it is empty, shows under the title in search "
            "results",
        ),
        *_heading_checks(reader.headings),
        _link_check(reader.links),
        Check(
            "Image descriptions",
            missing_alt == 0,
            "Every image is described."
            if missing_alt == 0
            else f"{missing_alt} image(s) without a description.",
        ),
        Check(
            "Reading level",
            ease is None or ease >= EASY_READING,
            "Too short to score yet."
            if ease is None
            else f"Reading ease {ease} (60 and over is plain English"
            + ("" if ease >= EASY_READING else "; use shorter sentences and words")
            + ").",
        ),
        Check(
            "Clinical review",
            bool(reviewed_by and last_reviewed),
            "Reviewed, with a date."
            if reviewed_by and last_reviewed
            else "Fill in who clinically reviewed the article and when.",
        ),
    ]
    return Report(flags=flags, checks=checks)


def check_post(post):
    """Every check of a Post as it stands (saved or not)."""
    from blog.sanitise import sanitise_body

    return check_article(
        title=post.title,
        summary=post.summary,
        body=sanitise_body(post.body),
        seo_description=post.seo_description,
        images=[
            (bool(post.hero_image), post.hero_image_alt),
            (bool(post.social_image), post.social_image_alt),
        ],
        reviewed_by=post.reviewed_by_id,
        last_reviewed=post.last_reviewed,
    )
