"""Demo content: the patient reviews on the clinic's current page ("Real Stories, Real Results").

Every distinct review is imported once, with the author as the page shows it and the source
"Google review". The page repeats one review word for word (Sarah T. twice, with "personalised"
and "personalized", and John Lee); the import keeps the first. Each review has been read and
classified by a person (the screening only suggests): most describe symptoms, treatment or
results and are clinical, so under the default "ahpra" policy the site shows only the few about
service. Only creates what is missing: running it again changes nothing.

The page gives no dates and no record of consent. The demo uses the date of the page's article
(17 February 2026) and records consent as demo-only: confirm both before publishing for real.
"""

from datetime import date
from typing import NamedTuple

from clinic.models import Practitioner
from testimonials import services
from testimonials.models import Source, Testimonial

CLINICAL = "clinical"
NON_CLINICAL = "non_clinical"
RECEIVED_ON = date(2026, 2, 17)
CONSENT_NOTE = "Demo content: consent assumed for the demonstration. Confirm before going live."
FEATURED = {"Ralph": 1, "Gordon Holloway": 2}


class Review(NamedTuple):
    author: str
    text: str
    practitioners: tuple
    classification: str
    reason: str


REVIEWS = [
    Review(
        "Sarah T.",
        (
            "\"I've been struggling with chronic shoulder pain for years, but after just a few "
            "sessions at Westside Sports Chiro, I've experienced a dramatic improvement. Their "
            "personalised approach and advanced techniques have truly made a difference in my "
            "recovery. I couldn't be happier with the results!\""
        ),
        (),
        CLINICAL,
        "Symptoms (chronic shoulder pain), treatment and its results.",
    ),
    Review(
        "Sarah T.",
        (
            "\"I've been struggling with chronic shoulder pain for years, but after just a few "
            "sessions at Westside Sports Chiro, I've experienced a dramatic improvement. Their "
            "personalized approach and advanced techniques have truly made a difference in my "
            "recovery. I couldn't be happier with the results!\""
        ),
        (),
        CLINICAL,
        "Same text as Sarah T.'s first review.",
    ),
    Review(
        "mike li",
        "Great knowledge and experience , Great job Jason!!Definitely will recommend",
        ("jason-lee",),
        CLINICAL,
        (
            "Praises clinical knowledge and the job done: clinical skill and an implied "
            "result. A borderline call, made on the cautious side."
        ),
    ),
    Review(
        "N “Neens” A",
        (
            "Wow! What an amazing experience! Dr Joey is absolutely brilliant! He was able to "
            "diagnose & treat a multitude of issues I have with my neck, back, shoulders & ankle."
            " He was compassionate and understanding with all my concerns and I am forever "
            "grateful! There aren’t enough gold stars to show how amazing he is!"
        ),
        ("joey-lee",),
        CLINICAL,
        "Diagnosis and treatment of neck, back, shoulder and ankle problems.",
    ),
    Review(
        "DJ NIKCO",
        (
            "I travel 2 hours each way every 2 weeks to see Jason and its worth it! He works with"
            " the whole body and is able to give detailed answers to all my questions. My injury "
            "was super complex as I have seen many specialists but no one has made any progress "
            "but now with jason I continue to see improvement each session! High Recommend."
        ),
        ("jason-lee",),
        CLINICAL,
        "An injury and improvement after each session: outcomes.",
    ),
    Review(
        "Ralph",
        (
            "Good vibes as soon as you walk in,professional service,attention to details in "
            "adressing issues and providing plenty of explanation and a professional approach to "
            "move forward.muchly recommended 👍"
        ),
        (),
        NON_CLINICAL,
        (
            "About the welcome, the professional service and the explanations; it names no "
            "symptom, treatment or result."
        ),
    ),
    Review(
        "Lyle Tacadena",
        (
            "Jason! He knows his stuff! I've had knee pain for months and with one treatment, the"
            " pain went from 90% to 10%. Hoping he can work his magic on the rest of the body. "
            "Amazing work and THANK YOU!"
        ),
        ("jason-lee",),
        CLINICAL,
        "Knee pain and a claimed result (90% to 10%).",
    ),
    Review(
        "Shanny Ho",
        (
            "Thankyou Jason for your wealth of knowledge. I saw Jason as a new patient for a "
            "chronic issue I have had for quite a few years! It has stopped me from moving as "
            "much as I have in the past as the pain associated afterwards was always "
            "debilitating: tightness in the hips, pain on pressure on the heel of the foot. Just "
            "with the treatment provided in one session it feels better the day after with weight"
            " on the heel and my hip feels much more agile. Hopefully with the next couple of "
            "appointments I’ll be back to cycling and lifting !"
        ),
        ("jason-lee",),
        CLINICAL,
        "Symptoms (hip, heel) and the result of treatment.",
    ),
    Review(
        "Gordon Holloway",
        (
            "With my experience with Jason great personality very reliable and trustworthy he "
            "listens to your problems and I would recommend him to anyone. Thank you."
        ),
        ("jason-lee",),
        NON_CLINICAL,
        (
            "About the practitioner's manner: personality, reliability, trust and listening; "
            "nothing about symptoms, treatment or results."
        ),
    ),
    Review(
        "Ramzy Shublaq",
        (
            "Easily the best of the best in the business. I have been seeing Jason for over a "
            "year and he has helped me more than any other health practitioner. I am also a PT "
            "and currently refer a lot of my clients in to him, and they have all had glowing "
            "reviews and feedback. Thanks Jason ✌🏼"
        ),
        ("jason-lee",),
        CLINICAL,
        "An outcome claim compared with other practitioners.",
    ),
    Review(
        "CHUNG-WEI TSAO",
        (
            "Thanks to Jason's treatment, I feel liberated after each session, and he also tells "
            "me how I can take care of myself, which is very useful , I wish I could meet him "
            "earlier."
        ),
        ("jason-lee",),
        CLINICAL,
        "Treatment and how the patient felt after it: an outcome.",
    ),
    Review(
        "Country life “Dragon” In Sydney",
        (
            "Jason is amazing i felt releif from a long time neck shoulder and foot pain from "
            "first session , he take his time treating his patients , very professional. i have "
            "been with my previous chiropractor for years spend too much money and i didn’t "
            "benefit , thank westside clinic for best service and treatment"
        ),
        ("jason-lee",),
        CLINICAL,
        "Relief from neck, shoulder and foot pain: symptoms and outcome.",
    ),
    Review(
        "Steve L",
        (
            "I had the pleasure of visiting Jason this past Saturday, and I must say, it was a "
            "fantastic experience. Jason is not only incredibly skilled but also honest and "
            "informative. I appreciated how he took the time to explain everything clearly and "
            "made sure I understood the treatment plan. What impressed me most was Jason's "
            "dedication to his craft and his genuine concern for his patients' well-being. He "
            "didn't rush through the session; instead, he took the time to address my concerns "
            "and tailor the treatment to my specific needs. I purposely waited more than 24 hours"
            " before writing this review to let the effects of the session settle and to give an "
            "honest opinion after a workout. I can confidently say that I feel a significant "
            "improvement, and I am grateful for Jason's expertise. If you're looking for a "
            "chiropractor who combines skill with a caring attitude, I highly recommend Jason. "
            "Thank you, Jason, for a truly exceptional experience!"
        ),
        ("jason-lee",),
        CLINICAL,
        "Treatment plan, clinical skill and a significant improvement.",
    ),
    Review(
        "Raffi Omer",
        (
            "Dr Jason Lee the man with full knowledge and experience. Highly recommend this "
            "place. If don't want to drag your pain with continuous appointments please come and "
            "visit place your well see the difference in 2 sessions.."
        ),
        ("jason-lee",),
        CLINICAL,
        "Pain and a promised difference in two sessions.",
    ),
    Review(
        "John",
        (
            "Jason addressed my neck and shoulder issue in just one session and is now making "
            "significant improvements to my lower back. His expertise is evident, and I highly "
            "recommend him."
        ),
        ("jason-lee",),
        CLINICAL,
        "Neck, shoulder and lower back improvements.",
    ),
    Review(
        "Jason Fong",
        (
            "Have been visiting Jason at Westside Sports Chiropractic for several months now and "
            "am really impressed with his thorough assessment and treatment. He takes the time to"
            " understand the root cause and focuses on correcting that, not just a short term "
            "fix. I've seen a lot of improvement in my condition so far. Would highly recommend."
        ),
        ("jason-lee",),
        CLINICAL,
        "Assessment, treatment and improvement in a condition.",
    ),
    Review(
        "Tim Booth",
        (
            "Jason is fantastic. He knows his stuff and every issue I have brought to him has "
            "been solved with a logical approach and with confidence.I wish I had found him much "
            "sooner then I did.Highly recommended."
        ),
        ("jason-lee",),
        CLINICAL,
        "Every issue solved (outcome) and clinical skill.",
    ),
    Review(
        "Travelling Soldier",
        (
            "Jason is a wholistic health professional. Saw him for a long standing shoulder pain."
            " Clear ultrasounds and x-rays. He accurately diagnosed the underlying cause and "
            "offered rapid yet sustainable relief in just one session. Now looking at rehab with "
            "him in the on-site gym and continue to strength and conditioning long term. Glad I "
            "called in !"
        ),
        ("jason-lee",),
        CLINICAL,
        "Shoulder pain, diagnosis and relief.",
    ),
    Review(
        "Oscar Marulanda",
        (
            "I’ve been in treatment with Jason for over a year. I went with a back injury and "
            "Jason basically “fixed” me. Along the way, he has provided guidance and advice about"
            " how to improve my back.Recently, I have sessions with Joey. His skills and "
            "experience are aligned with Jason’s which made you feel comfortable that either one "
            "of them is equally doing the best for you.I’ve recommended Jason to my mum, brother "
            "and brother-in-law. They all agree that Jason has miracle hands."
        ),
        ("jason-lee", "joey-lee"),
        CLINICAL,
        "A back injury “fixed” and “miracle hands”: outcome and skill claims.",
    ),
    Review(
        "Daniel Eishou",
        (
            "Iv had 2 sessions with Jason, iv had neck/shoulder a shoulder issue for years now. "
            "He has no joke found the issue given me things to work on and only after 2 sessions "
            "it actually feels it's getting better. Very knowledgeable and the session is worth "
            "it."
        ),
        ("jason-lee",),
        CLINICAL,
        "Neck and shoulder problem, getting better: outcome.",
    ),
    Review(
        "Sarah T.",
        (
            "\"I've been struggling with chronic shoulder pain for years, but after just a few "
            "sessions at Westside Sports Chiro, I've experienced a dramatic improvement. Their "
            "personalized approach and advanced techniques have truly made a difference in my "
            "recovery. I couldn't be happier with the results!\""
        ),
        (),
        CLINICAL,
        "Same text as Sarah T.'s first review.",
    ),
    Review(
        "John Lee",
        (
            "\"I've been struggling with chronic shoulder pain for years, but after just a few "
            "sessions at Westside Sports Chiro, I've experienced a dramatic improvement. Their "
            "personalized approach and advanced techniques have truly made a difference in my "
            "recovery. I couldn't be happier with the results!\""
        ),
        (),
        CLINICAL,
        "Same text as Sarah T.'s first review.",
    ),
]


def entries(practitioners):
    for review in REVIEWS:
        yield {
            "author_name": review.author,
            "display_name": review.author,
            "text": review.text,
            "received_on": RECEIVED_ON,
            "consent_to_publish": True,
            "consent_date": RECEIVED_ON,
            "consent_note": CONSENT_NOTE,
            "is_featured": review.author in FEATURED,
            "display_order": FEATURED.get(review.author, 10),
            "practitioners": [
                practitioners[slug] for slug in review.practitioners if slug in practitioners
            ],
            "classification": review.classification,
            "reason": review.reason,
        }


def load(stdout=None):
    practitioners = {p.slug: p for p in Practitioner.objects.all()}
    created, skipped = services.stories_import(
        entries(practitioners),
        source=Source.GOOGLE,
        approve_classified=True,
        note="Demo import from the clinic's page (Google reviews).",
    )
    if stdout:
        stdout.write(
            f"Patient stories: {created} imported, {skipped} skipped (already imported, or the same text repeated on the page); "
            f"{Testimonial.objects.count()} in all, "
            f"{Testimonial.objects.publishable().count()} shown under the current policy."
        )
