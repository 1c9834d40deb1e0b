"""Moderation and intake of patient stories: each operation validates, saves and records a decision.

The admin (bulk actions and the change form), the public form and the demo import all go through
these functions, so the publication rule and the decision log cannot be bypassed by one of them.
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from clinic.models import Practitioner
from clinic.spam import RateLimit, RateLimited, submitted_text
from testimonials.forms import StoryForm
from testimonials.models import (
    TEXT_MAX_LENGTH,
    Classification,
    Decision,
    Source,
    Status,
    Testimonial,
)


class ModerationRefused(Exception):
    """A decision the rule does not allow; the message says why, in words staff can act on."""


def record_decision(
    story: Testimonial, *, action: str, by: AbstractBaseUser | None = None, note: str = ""
) -> Decision:
    return Decision.objects.create(
        testimonial=story,
        action=action,
        status=story.status,
        classification=story.classification,
        note=note,
        decided_by=by if by is not None and by.is_authenticated else None,
        decided_at=timezone.now(),
    )


def check_approval(story: Testimonial, classification: str) -> str | None:
    """Why `story` may not be approved with `classification`, or None."""
    name = story.display_name or story.author_name
    if story.is_spam:
        return f"“{name}” was caught as spam; it cannot be approved."
    if story.status == Status.WITHDRAWN:
        return (
            f"“{name}” was withdrawn; it stays withdrawn. If the patient agrees again, add the "
            "story anew with the new consent."
        )
    if classification == Classification.UNCLASSIFIED:
        return f"“{name}” is not classified yet: approve it as clinical or as non-clinical."
    if (
        classification == Classification.NON_CLINICAL
        and story.screening().flagged
        and not story.classification_reason.strip()
    ):
        return (
            f"“{name}” was flagged for clinical language ({story.screening()}): open it and record "
            "why it is about service before approving it as non-clinical."
        )
    return None


@transaction.atomic
def approve(
    story: Testimonial,
    *,
    by: AbstractBaseUser | None,
    classification: str | None = None,
    note: str = "",
) -> Testimonial:
    classification = classification or story.classification
    problem = check_approval(story, classification)
    if problem:
        raise ModerationRefused(problem)
    if story.status == Status.APPROVED and story.classification == classification:
        return story
    classified = story.classification != classification
    story.classification = classification
    story.status = Status.APPROVED
    story.save()
    record_decision(
        story, action=Decision.Action.APPROVED, by=by, note=note or _why(story, classified)
    )
    return story


def _why(story: Testimonial, classified: bool) -> str:
    if classified and story.classification == Classification.NON_CLINICAL:
        return f"Classified non-clinical: {story.classification_reason}".strip()
    return ""


@transaction.atomic
def reject(story: Testimonial, *, by: AbstractBaseUser | None, note: str = "") -> Testimonial:
    if story.status == Status.REJECTED:
        return story
    story.status = Status.REJECTED
    story.save(update_fields=["status", "updated_at"])
    record_decision(story, action=Decision.Action.REJECTED, by=by, note=note)
    return story


@transaction.atomic
def withdraw(story: Testimonial, *, by: AbstractBaseUser | None, note: str = "") -> Testimonial:
    if story.status != Status.APPROVED:
        name = story.display_name or story.author_name
        raise ModerationRefused(f"“{name}” is not published, so there is nothing to withdraw.")
    story.status = Status.WITHDRAWN
    story.is_featured = False
    story.save(update_fields=["status", "is_featured", "updated_at"])
    record_decision(story, action=Decision.Action.WITHDRAWN, by=by, note=note)
    return story


def check_status_change(old_status: str, new_status: str, story: Testimonial) -> str | None:
    """For the change form: the same rule as the bulk actions. Returns a problem or None."""
    if old_status == new_status:
        return None
    if old_status == Status.WITHDRAWN:
        return "A withdrawn story stays withdrawn."
    if new_status == Status.APPROVED:
        return check_approval(story, story.classification)
    if new_status == Status.WITHDRAWN and old_status != Status.APPROVED:
        return "Only a published (approved) story can be withdrawn; reject it instead."
    return None


def record_changes(
    story: Testimonial, *, old_status: str, old_classification: str, by: AbstractBaseUser | None
) -> None:
    """After the admin change form saved `story`: log what changed, as the bulk actions do."""
    if old_classification != story.classification:
        note = ""
        if story.classification == Classification.NON_CLINICAL and story.is_flagged:
            note = f"Flagged ({story.screening_terms}); reason: {story.classification_reason}"
        record_decision(story, action=Decision.Action.CLASSIFIED, by=by, note=note)
    if old_status != story.status:
        actions = {
            Status.APPROVED: Decision.Action.APPROVED,
            Status.REJECTED: Decision.Action.REJECTED,
            Status.WITHDRAWN: Decision.Action.WITHDRAWN,
            Status.PENDING: Decision.Action.RETURNED,
        }
        record_decision(story, action=actions[story.status], by=by)


RATE_LIMIT_SCOPE = "stories"


def stories_rate_limit() -> RateLimit:
    return RateLimit.parse(settings.TESTIMONIALS_RATE_LIMIT, "TESTIMONIALS_RATE_LIMIT")


def story_submit(*, form: StoryForm, client_ip: str) -> Testimonial | None:
    """Validate a bound `StoryForm` and store the story it carries, as `enquiry_submit` does.

    Returns the stored story (pending, or rejected as spam when the spam checks caught it: kept,
    so a person caught by mistake is never lost), or None when the form has errors (on
    `form.errors`; nothing stored). Raises RateLimited, storing nothing, when the client is over
    TESTIMONIALS_RATE_LIMIT.
    """
    spam_reason = form.spam_reason
    if not form.is_valid() and not spam_reason:
        return None
    limit = stories_rate_limit()
    if not limit.allow(scope=RATE_LIMIT_SCOPE, ip_address=client_ip):
        raise RateLimited(limit)
    if spam_reason:
        return _story_create(
            author_name=submitted_text(form, "name", 120),
            text=submitted_text(form, "text", TEXT_MAX_LENGTH * 4),
            consent=bool(form.data.get("consent")),
            spam_reason=spam_reason,
        )
    data = form.cleaned_data
    return _story_create(
        author_name=data["name"],
        text=data["text"],
        consent=data["consent"],
        practitioner=data["practitioner"],
    )


@transaction.atomic
def _story_create(
    *,
    author_name: str,
    text: str,
    consent: bool,
    practitioner: Practitioner | None = None,
    spam_reason: str | None = None,
) -> Testimonial:
    """A story from the site's form: pending, or rejected as spam. Never dropped."""
    today = timezone.localdate()
    story = Testimonial(
        author_name=author_name[:120] or "(no name given)",
        text=text,
        source=Source.WEBSITE,
        consent_to_publish=bool(consent),
        consent_date=today if consent else None,
        consent_note="Ticked the consent box on the website form." if consent else "",
    )
    if spam_reason:
        story.status = Status.REJECTED
        story.is_spam = True
        story.spam_reason = spam_reason
    story.save()
    if practitioner is not None:
        story.practitioners.add(practitioner)
    if spam_reason:
        record_decision(story, action=Decision.Action.SPAM, note=f"Spam check: {spam_reason}")
    else:
        record_decision(story, action=Decision.Action.SUBMITTED, note="Sent through the website.")
    return story


def stories_import(
    entries: Iterable[dict],
    *,
    source: str,
    by: AbstractBaseUser | None = None,
    approve_classified: bool = False,
    note: str = "Imported.",
) -> tuple[int, int]:
    """Create stories from `entries` (dicts of model fields, plus optional `practitioners`,
    `classification` and `reason`), keeping one story per normalised text: an entry whose text
    matches an existing story (or an earlier entry) is skipped, so importing twice changes nothing.
    With `approve_classified`, classified entries are approved through the usual rule.
    Returns the counts (created, skipped)."""
    from testimonials.screening import normalised_hash

    created = skipped = 0
    seen = set(Testimonial.objects.values_list("normalised_hash", flat=True))
    for entry in entries:
        entry = dict(entry)
        practitioners = entry.pop("practitioners", [])
        classification = entry.pop("classification", Classification.UNCLASSIFIED)
        reason = entry.pop("reason", "")
        fingerprint = normalised_hash(entry["text"])
        if fingerprint in seen:
            skipped += 1
            continue
        seen.add(fingerprint)
        with transaction.atomic():
            story = Testimonial(source=source, **entry)
            story.classification_reason = (
                reason if classification == Classification.NON_CLINICAL else ""
            )
            story.save()
            if practitioners:
                story.practitioners.set(practitioners)
            record_decision(story, action=Decision.Action.SUBMITTED, by=by, note=note)
            if approve_classified and classification != Classification.UNCLASSIFIED:
                approve(story, by=by, classification=classification, note=reason)
            elif classification != Classification.UNCLASSIFIED:
                story.classification = classification
                story.save(update_fields=["classification", "updated_at"])
                record_decision(story, action=Decision.Action.CLASSIFIED, by=by, note=reason)
        created += 1
    return created, skipped


@transaction.atomic
def story_import_pending(*, author_name, text, received_on=None, note):
    """A story brought across from the clinic's old website: pending, consent not confirmed (the
    old site's form may not have asked), screened on save as every story is. A story with the
    same text as another is kept and shows as a duplicate in the admin's queue."""
    story = Testimonial(
        author_name=author_name[:120] or "(no name given)",
        text=text,
        source=Source.WEBSITE,
        consent_to_publish=False,
    )
    if received_on is not None:
        story.received_on = received_on
    story.save()
    record_decision(story, action=Decision.Action.SUBMITTED, note=note)
    return story
