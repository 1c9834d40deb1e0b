"""What the readers (webflow, wordpress) make of an export, and what an import reports."""

import hashlib
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime


class ImportFailed(Exception):
    """The export cannot be imported; the message names the file and the line or item. Nothing
    has been changed."""


@dataclass
class PostRecord:
    source: str  # e.g. "webflow-post": with item_id, what a second run matches on
    item_id: str
    label: str  # where it is in the export, for messages: "posts.csv, line 4"
    title: str
    slug: str
    body: str  # the old site's HTML, cleaned on import
    summary: str = ""
    published_at: datetime | None = None
    is_published: bool = False
    image_url: str = ""
    image_alt: str = ""
    author: str = ""  # a practitioner's name or slug; empty: the --author default
    topics: list = field(default_factory=list)  # [(name, slug)]
    old_addresses: list = field(default_factory=list)

    def digest(self):
        values = asdict(self)
        del values["label"]
        return hashlib.sha256(json.dumps(values, default=str, sort_keys=True).encode()).hexdigest()


@dataclass
class StoryRecord:
    source: str
    item_id: str
    label: str
    reviewer: str
    text: str
    received_on: datetime | None = None

    def digest(self):
        values = asdict(self)
        del values["label"]
        return hashlib.sha256(json.dumps(values, default=str, sort_keys=True).encode()).hexdigest()


KINDS = ("posts", "stories", "images", "redirects")
OUTCOMES = ("created", "updated", "unchanged", "skipped")


@dataclass
class Report:
    counts: Counter = field(default_factory=Counter)
    items: list = field(default_factory=list)  # one line per item: what happened to it
    warnings: list = field(default_factory=list)

    def count(self, kind, outcome, n=1):
        self.counts[kind, outcome] += n

    def item(self, line):
        self.items.append(line)

    def warn(self, label, message):
        self.warnings.append(f"{label}: {message}")

    def lines(self):
        lines = list(self.items)
        for kind in KINDS:
            parts = [f"{self.counts[kind, outcome]} {outcome}" for outcome in OUTCOMES]
            lines.append(f"{kind.capitalize()}: " + ", ".join(parts))
        if self.warnings:
            lines.append(f"{len(self.warnings)} warning(s):")
            lines.extend(f"  - {warning}" for warning in self.warnings)
        else:
            lines.append("No warnings.")
        return lines
