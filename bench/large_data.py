"""Generate the large data set for `bench/load.py --large`, with bulk_create.

    DATA_DIR=/tmp/somewhere .venv/bin/python bench/large_data.py [--scale 0.1]

10,000 articles (blog.Post), 10,000 stories (testimonials.Testimonial) and 100,000 enquiries
(booking.Enquiry). Rows are filled by looking at the model's fields at run time (`fill_row`):
required fields get plausible values, and anything that decides whether a row is public (a status
with a "published"/"approved" choice, an is_published/approved flag, a published_at date) is set
so the row shows on the site. Where that guess is not right for a model, add to OVERRIDES (the
integrator's hook): field values for row i laid over the guesses.
"""

import argparse
import os
import random
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import models, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.text import slugify  # noqa: E402

COUNTS = {"blog.Post": 10_000, "testimonials.Testimonial": 10_000, "booking.Enquiry": 100_000}
PUBLIC_CHOICES = ("published", "approved", "live", "public", "visible", "new")
PUBLIC_FLAGS = ("published", "approved", "active", "visible", "public", "consent", "featured")
WORDS = (
    "running knee hip stride recovery strength mobility posture spine shoulder athlete training "
    "load rest sleep warm-up cool-down hamstring calf ankle foot core balance season marathon "
    "injury assessment treatment exercise clinic patient plan progress"
).split()
BODY = "".join(
    f"<h2>Section {n}</h2><p>" + " ".join(random.Random(n).choices(WORDS, k=120)) + "</p>"
    for n in range(1, 5)
)


def _choice_containing(model, field_name, text):
    field = model._meta.get_field(field_name)
    return next(value for value, _ in field.flatchoices if text in str(value))


def _story(model, i, now):
    """Patient stories the display rules allow: consent with its date, non-clinical."""
    return {
        "consent_date": timezone.localdate(now - timedelta(days=400)),
        "classification": _choice_containing(model, "classification", "non"),
        "rating": 5,
    }


# "app_label.Model": function(model, i, now) -> field values for row i, laid over fill_row's
# guesses (names that are not fields of the model are dropped). The integrator's hook.
OVERRIDES = {"testimonials.Testimonial": _story}


def words(rng, count):
    return " ".join(rng.choices(WORDS, k=count)).capitalize()


def related_object(field, cache={}):  # noqa: B006 - deliberate per-run memo
    """An existing row of the related model (the first), created if there is none."""
    model = field.related_model
    if model not in cache:
        if model is get_user_model():
            obj = ensure_admin()
        else:
            obj = model._default_manager.order_by("pk").first()
            if obj is None:
                obj = model._default_manager.create(**fill_row(model, 0, timezone.now()))
        cache[model] = obj
    return cache[model]


def fill_row(model, i, now):
    """Keyword arguments for row i of model, from its fields."""
    rng = random.Random(i)
    values = {}
    for field in model._meta.concrete_fields:
        name = field.name.lower()
        if field.primary_key or field.auto_created:
            continue
        if isinstance(field, models.ForeignKey):
            if not field.null:
                values[field.name] = related_object(field)
            continue
        if field.choices and not isinstance(field, models.BooleanField):
            choices = [value for value, _ in field.flatchoices]
            public = [c for c in choices if str(c).lower() in PUBLIC_CHOICES]
            if public:
                values[field.name] = public[0]
            elif not field.has_default():
                values[field.name] = rng.choice(choices)
            continue
        if isinstance(field, models.BooleanField):
            if any(flag in name for flag in PUBLIC_FLAGS):
                values[field.name] = "featured" not in name or i % 50 == 0
            continue
        if isinstance(field, models.DateTimeField | models.DateField):
            # Spread over the past (100,000 rows at 7 minutes apart: about 16 months), newest
            # first, so date filters and the admin's date hierarchy see real spreads.
            when = now - timedelta(minutes=i * 7 + 5)
            automatic = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            if field.null and not automatic and not any(w in name for w in ("publish", "created")):
                continue
            values[field.name] = (
                timezone.localdate(when) if type(field) is models.DateField else when
            )
            continue
        if field.has_default() or field.null:
            continue
        if isinstance(field, models.SlugField):
            values[field.name] = f"{slugify(words(rng, 4))[:40]}-{i}"
        elif isinstance(field, models.EmailField):
            values[field.name] = f"patient{i}@example.com"
        elif isinstance(field, models.URLField):
            values[field.name] = f"https://example.com/{i}"
        elif isinstance(field, models.TextField):
            values[field.name] = BODY if "body" in name or "content" in name else words(rng, 60)
        elif isinstance(field, models.CharField):
            if "phone" in name:
                text = f"04{i:08d}"
            elif "name" in name:
                text = f"Patient {i}"
            else:
                text = words(rng, 8)
            values[field.name] = text[: field.max_length]
        elif isinstance(field, models.IntegerField | models.FloatField | models.DecimalField):
            values[field.name] = 0
        elif not field.blank:
            print(f"  {model.__name__}.{field.name}: no value for {type(field).__name__}")
    return values


def ensure_admin():
    user_model = get_user_model()
    username = os.environ.get("BENCH_ADMIN_USER", "bench-admin")
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model.objects.create_superuser(
            username, "bench@example.com", os.environ.get("BENCH_ADMIN_PASSWORD", "bench-admin")
        )
    return user


def generate(model_label, count, batch_size=2_000):
    model = apps.get_model(model_label)
    field_names = {field.name for field in model._meta.concrete_fields}
    override = OVERRIDES.get(model_label)

    def build(i, now):
        values = fill_row(model, i, now)
        if override:
            values.update((k, v) for k, v in override(model, i, now).items() if k in field_names)
        return values

    now = timezone.now()
    existing = model._default_manager.count()
    # created_at/updated_at (auto_now_add/auto_now) would all be "now": let our spread stand.
    automatic = [
        f
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in automatic]
    for field in automatic:
        field.auto_now = field.auto_now_add = False
    try:
        for start in range(0, count, batch_size):
            numbers = range(start + existing, start + existing + min(batch_size, count - start))
            with transaction.atomic():
                model._default_manager.bulk_create([model(**build(i, now)) for i in numbers], 500)
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add
    print(f"  {model_label}: {count:,} rows added ({existing + count:,} in all)")
    return count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full counts")
    args = parser.parse_args()
    ensure_admin()
    for label, count in COUNTS.items():
        generate(label, max(1, int(count * args.scale)))


if __name__ == "__main__":
    main()
