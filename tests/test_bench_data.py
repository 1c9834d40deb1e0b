"""The large-data generator of bench/load.py --large fills whatever models exist."""

import importlib.util
from datetime import timedelta
from pathlib import Path

import pytest

from clinic.models import Practitioner, Service
from testimonials.models import Testimonial as Story


@pytest.fixture(scope="module")
def large_data():
    path = Path(__file__).resolve().parent.parent / "bench" / "large_data.py"
    spec = importlib.util.spec_from_file_location("bench_large_data", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fills_required_fields_from_the_model(db, large_data):
    assert large_data.generate("clinic.Service", 30, batch_size=7) == 30
    assert large_data.generate("clinic.Practitioner", 5) == 5

    assert Service.objects.count() == 30
    assert Service.objects.values("slug").distinct().count() == 30
    assert Practitioner.objects.filter(is_active=True).count() == 5


def test_dates_are_the_clinics_dates(moment, db, large_data):
    assert large_data.generate("testimonials.Testimonial", 3) == 3

    newest = Story.objects.order_by("-received_on").first()
    assert newest.received_on == moment.sydney_date
    assert newest.consent_date == moment.sydney_date - timedelta(days=400)
