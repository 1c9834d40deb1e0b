"""Demo content for the clinic itself, loaded by `manage.py load_demo_content`.

Only creates what is missing, so running it again (or after staff edits) changes nothing.
Contact details are placeholders to replace in the admin: the clinic's page did not list them.
"""

import io
from datetime import date, time

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

from clinic.models import Clinic, OpeningHours, Practitioner, Service

CLINIC = {
    "name": "Westside Sports Chiro",
    "tagline": "Sports chiropractic care for runners, athletes and active people",
    "intro": (
        "Westside Sports Chiro is a sports chiropractic clinic in Sydney's west. We look after "
        "runners, weekend athletes, gym-goers and people who simply want to keep moving.\n\n"
        "Every first visit starts with a thorough assessment and a clear explanation of what we "
        "find. Care combines hands-on treatment with exercises you can do at home and in our "
        "on-site gym, so you understand your plan and can take part in it."
    ),
    "phone": "02 5550 1234",
    "email": "hello@example.com",
    "street_address": "1 Example Street",
    "suburb": "Parramatta",
    "state": "NSW",
    "postcode": "2150",
    "country": "AU",
    "map_url": "https://www.openstreetmap.org/search?query=Parramatta%20NSW%202150",
    "privacy_updated": date(2026, 2, 1),
    "privacy_policy": (
        "Westside Sports Chiro collects personal information, including health information, only "
        "when it is needed to respond to you and to provide care, as the Australian Privacy "
        "Principles require.\n\n"
        "What we collect: when you send the booking form we collect your name, contact details, "
        "your preferred times and anything you choose to tell us in your message. Please do not "
        "include more health detail than you need to.\n\n"
        "Why we collect it: to contact you about your appointment and to prepare for your visit. "
        "We do not use it for marketing without your consent and we never sell it.\n\n"
        "Who sees it: only clinic staff who need it to respond to you. It is stored in our "
        "access-controlled systems in Australia.\n\n"
        "How long we keep it: enquiries that do not become appointments are deleted after the "
        "retention period set by the clinic. Clinical records are kept as the law requires.\n\n"
        "Your rights: you can ask to see or correct the information we hold about you, or make a "
        "complaint, by contacting the clinic. If you are not satisfied with our response you can "
        "contact the Office of the Australian Information Commissioner (oaic.gov.au)."
    ),
}

HOURS = [
    (0, time(7), time(19)),
    (1, time(7), time(19)),
    (2, time(7), time(19)),
    (3, time(7), time(19)),
    (4, time(7), time(17)),
    (5, time(8), time(13)),
]

PRACTITIONERS = [
    {
        "slug": "jason-lee",
        "name": "Jason Lee",
        "role": "Principal Chiropractor",
        "qualifications": "Bachelor of Chiropractic Science, Master of Chiropractic",
        "bio": (
            "Jason founded Westside Sports Chiro to give athletes care that looks at the whole "
            "body, not only where it hurts. He works with runners, lifters and weekend athletes, "
            "and takes the time to explain what he finds and what you can do about it.\n\n"
            "Outside the clinic Jason trains in the gym and follows the local running scene."
        ),
        "order": 1,
        "colour": (15, 76, 92),
    },
    {
        "slug": "joey-lee",
        "name": "Joey Lee",
        "role": "Chiropractor",
        "qualifications": "Bachelor of Chiropractic Science, Master of Chiropractic",
        "bio": (
            "Joey looks after runners and active people at every level, with a special interest "
            "in running form, spinal alignment and getting back to training with confidence.\n\n"
            "He writes many of the clinic's articles on running and posture."
        ),
        "order": 2,
        "colour": (47, 111, 87),
    },
]

SERVICES = [
    (
        "Sports chiropractic",
        "sports-chiropractic",
        30,
        "Assessment and hands-on care for the joints, muscles and movement patterns that sport demands.",
        "We assess how you move, then use spinal and joint adjustments, soft-tissue work and mobility "
        "techniques suited to your sport and your goals.\n\nYou leave with a plan you understand and "
        "exercises to keep progress going between visits.",
    ),
    (
        "Running assessment",
        "running-assessment",
        45,
        "A look at your running form, posture and strength, with practical changes you can make.",
        "We watch you run and look at cadence, posture, hip and core control and footwear, then "
        "explain what we see.\n\nYou get a small number of practical changes and exercises rather "
        "than a long list.",
    ),
    (
        "Injury rehabilitation",
        "injury-rehabilitation",
        45,
        "A graded return to training after injury, using our on-site gym.",
        "Rehabilitation combines treatment with progressive strength and conditioning in our on-site "
        "gym, so you return to sport stronger and with confidence.",
    ),
    (
        "Initial consultation",
        "initial-consultation",
        60,
        "A thorough first visit: your history, an examination and a clear explanation of the next steps.",
        "Your first visit includes a detailed history, a physical examination and, where appropriate, "
        "your first treatment. We explain what we find and agree a plan with you.",
    ),
]


def placeholder_portrait(name, colour, size=480):
    """A plain portrait placeholder with the person's first name (Jason Lee and Joey Lee share
    their initials), as WebP bytes."""
    image = Image.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=size // 5)
    draw.text((size / 2, size / 2), name.split()[0], fill=(255, 255, 255), font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="WEBP", quality=80)
    return buffer.getvalue()


def load(stdout=None):
    clinic, created = Clinic.objects.get_or_create(pk=Clinic.SINGLETON_ID, defaults=CLINIC)
    if created:
        OpeningHours.objects.bulk_create(
            OpeningHours(clinic=clinic, weekday=day, opens=opens, closes=closes)
            for day, opens, closes in HOURS
        )
    for data in PRACTITIONERS:
        data = dict(data)
        colour = data.pop("colour")
        practitioner, created = Practitioner.objects.get_or_create(slug=data["slug"], defaults=data)
        if created:
            practitioner.photo_alt = (
                f"Portrait placeholder showing the initials of {practitioner.name}"
            )
            practitioner.photo.save(
                f"{practitioner.slug}.webp",
                ContentFile(placeholder_portrait(practitioner.name, colour)),
                save=True,
            )
    for order, (name, slug, minutes, summary, description) in enumerate(SERVICES, start=1):
        Service.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "duration_minutes": minutes,
                "summary": summary,
                "description": description,
                "order": order,
            },
        )
    if stdout:
        stdout.write(
            f"Clinic: {Clinic.objects.count()} record, {Practitioner.objects.count()} practitioners, "
            f"{Service.objects.count()} services."
        )
