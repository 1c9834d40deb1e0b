"""Webflow CMS "Export CSV" files: one column per collection field, plus Webflow's own (Name,
Slug, Collection ID, Locale ID, Item ID, Archived, Draft, Created On, Updated On, Published On).
Rich text is HTML; image fields are CDN addresses; dates look like
"Tue Mar 10 2026 01:30:00 GMT+0000 (Coordinated Universal Time)".
"""

import csv
import re
from datetime import datetime

from blog.importing.records import ImportFailed, PostRecord, StoryRecord

# Which column holds what, following Webflow's blog template; --field key="Column" changes one.
POST_FIELDS = {
    "title": "Name",
    "slug": "Slug",
    "body": "Post Body",
    "summary": "Post Summary",
    "image": "Main Image",
    "image_alt": "",
    "author": "",
}
STORY_FIELDS = {"reviewer": "Name", "text": "Testimonial"}
FIELD_KEYS = sorted({*POST_FIELDS, *STORY_FIELDS})
REQUIRED_POST_FIELDS = ("title", "slug", "body")
WEBFLOW_DATE = re.compile(
    r"^(?P<date>\w{3} \w{3} \d{1,2} \d{4} \d{2}:\d{2}:\d{2}) GMT(?P<tz>[+-]\d{4})"
)


def parse_field_options(options):
    """["body=Content", …] → {"body": "Content"}; ImportFailed naming an unknown key."""
    mapping = {}
    for option in options or []:
        key, sep, column = option.partition("=")
        key = key.strip()
        if not sep or key not in FIELD_KEYS or not column.strip():
            raise ImportFailed(
                f'--field {option!r}: write it as KEY="Column name", KEY being one of '
                + ", ".join(FIELD_KEYS)
            )
        mapping[key] = column.strip()
    return mapping


def parse_date(value, where):
    value = (value or "").strip()
    if not value:
        return None
    match = WEBFLOW_DATE.match(value)
    try:
        if match:
            return datetime.strptime(f"{match['date']} {match['tz']}", "%a %b %d %Y %H:%M:%S %z")
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise ImportFailed(f"{where}: {value!r} is not a date Webflow writes")
    return parsed


def parse_bool(value, where):
    value = (value or "").strip().lower()
    if value in ("", "false", "no", "0"):
        return False
    if value in ("true", "yes", "1"):
        return True
    raise ImportFailed(f"{where}: {value!r} is neither true nor false")


def read_rows(path, needed_columns):
    """(line number, row) for each row; ImportFailed for a missing column or a broken row."""
    name = str(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as file:
            reader = csv.DictReader(file)
            header = reader.fieldnames
            if not header:
                raise ImportFailed(f"{name}: the file is empty")
            missing = [column for column in needed_columns if column not in header]
            if missing:
                raise ImportFailed(
                    f"{name}: no column {', '.join(repr(c) for c in missing)}. Its columns are: "
                    f"{', '.join(header)}. Name the right one with --field."
                )
            rows = []
            for row in reader:
                if None in row or None in row.values():
                    raise ImportFailed(
                        f"{name}, line {reader.line_num}: this row does not have the "
                        f"{len(header)} values of the header line (a broken quote?)"
                    )
                rows.append((reader.line_num, row))
            return rows
    except csv.Error as error:
        raise ImportFailed(f"{name}, line {reader.line_num}: {error}") from None
    except UnicodeDecodeError:
        raise ImportFailed(f"{name}: not UTF-8 text; export it again from Webflow") from None
    except OSError as error:
        raise ImportFailed(f"{name}: cannot be read ({error.strerror})") from None


def _item_id(row, where):
    item_id = (row.get("Item ID") or "").strip()
    if not item_id or len(item_id) > 100:
        raise ImportFailed(f"{where}: no Item ID (or not one Webflow writes)")
    return item_id


def read_posts(path, *, fields=None, old_prefix="/post/"):
    columns = {**POST_FIELDS, **(fields or {})}
    # Webflow's own columns and the ones named with --field must be there; the template's
    # optional ones (summary, image) may be missing from a collection that has no such field.
    needed = ["Item ID", *(columns[key] for key in REQUIRED_POST_FIELDS)]
    needed += [column for key, column in (fields or {}).items() if key in POST_FIELDS]
    prefix = "/" + old_prefix.strip("/") + "/" if old_prefix.strip("/") else "/"
    records = []
    for line, row in read_rows(path, dict.fromkeys(needed)):
        where = f"{path}, line {line}"

        def value(key, row=row):
            return (row.get(columns[key]) or "").strip() if columns[key] else ""

        archived = parse_bool(row.get("Archived"), where)
        draft = parse_bool(row.get("Draft"), where)
        published_on = parse_date(row.get("Published On"), where)
        created_on = parse_date(row.get("Created On"), where)
        slug = value("slug")
        records.append(
            PostRecord(
                source="webflow-post",
                item_id=_item_id(row, where),
                label=where,
                title=value("title"),
                slug=slug,
                body=row.get(columns["body"]) or "",
                summary=value("summary"),
                published_at=published_on or created_on,
                is_published=not archived and not draft and published_on is not None,
                image_url=value("image").split(";")[0].strip(),
                image_alt=value("image_alt"),
                author=value("author"),
                old_addresses=[f"{prefix}{slug}"] if slug else [],
            )
        )
    return records


def read_stories(path, *, fields=None):
    columns = {**STORY_FIELDS, **{k: v for k, v in (fields or {}).items() if k in STORY_FIELDS}}
    records = []
    for line, row in read_rows(path, ["Item ID", columns["reviewer"], columns["text"]]):
        where = f"{path}, line {line}"
        records.append(
            StoryRecord(
                source="webflow-story",
                item_id=_item_id(row, where),
                label=where,
                reviewer=row[columns["reviewer"]].strip(),
                text=row[columns["text"]].strip(),
                received_on=parse_date(row.get("Created On"), where),
            )
        )
    return records
