"""JSON-LD for search engines, built as plain dicts and rendered by the `jsonld` template tag."""

from django.templatetags.static import static


def clinic_jsonld(clinic, request):
    if not clinic.street_address:
        return None
    home = request.build_absolute_uri("/")
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalClinic",
        "@id": f"{home}#clinic",
        "name": clinic.name,
        "url": home,
        "logo": request.build_absolute_uri(static("img/logo.svg")),
        "image": request.build_absolute_uri(static("img/og-default.png")),
        "telephone": clinic.phone,
        "email": clinic.email,
        "medicalSpecialty": "Chiropractic",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": clinic.street_address,
            "addressLocality": clinic.suburb,
            "addressRegion": clinic.state,
            "postalCode": clinic.postcode,
            "addressCountry": clinic.country,
        },
        "openingHoursSpecification": [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": f"https://schema.org/{slot.schema_day}",
                "opens": slot.opens.strftime("%H:%M"),
                "closes": slot.closes.strftime("%H:%M"),
            }
            for slot in clinic.opening_hours.all()
        ],
    }
    if clinic.map_url:
        data["hasMap"] = clinic.map_url
    if clinic.social_links:
        data["sameAs"] = [url for _label, url in clinic.social_links]
    return data


def practitioner_jsonld(practitioner, request):
    data = {
        "@context": "https://schema.org",
        "@type": "Physician",
        "name": practitioner.name,
        "url": request.build_absolute_uri(practitioner.get_absolute_url()),
        "jobTitle": practitioner.role,
        "medicalSpecialty": "Chiropractic",
        "worksFor": {"@id": f"{request.build_absolute_uri('/')}#clinic"},
    }
    if practitioner.photo:
        data["image"] = request.build_absolute_uri(practitioner.photo_url)
    if practitioner.qualifications:
        data["hasCredential"] = practitioner.qualifications
    return data
