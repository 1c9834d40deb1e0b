"""Screening of patient stories for clinical language, and text normalisation for duplicates.

Ahpra reads section 133 of the National Law as forbidding testimonials about the clinical aspects
of care: symptoms, diagnosis, treatment, outcomes and clinical skill. Comments about the service
(friendly, punctual, explains things, welcoming) are allowed. The screening here is a helper for
staff, not a judge: it errs towards flagging, and a person decides. A flagged story can only be
classified as non-clinical with a recorded reason (see `Testimonial`).
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass

CLINICAL = "clinical"
NON_CLINICAL = "non_clinical"

# Each entry: a label staff see, and a regular expression (matched case-insensitively on word
# boundaries), grouped by what Ahpra calls clinical aspects; body parts and conditions last.
_TERMS = [
    # Symptoms
    ("pain", r"pain(?:s|ful|less)?"),
    ("ache", r"ach(?:e|es|ing|y)"),
    ("sore", r"sore(?:ness)?"),
    ("tightness", r"tight(?:ness)?"),
    ("stiffness", r"stiff(?:ness)?"),
    ("chronic", r"chronic"),
    ("symptom", r"symptoms?"),
    ("condition", r"conditions?"),
    ("injury", r"injur(?:y|ies|ed)"),
    ("debilitating", r"debilitating"),
    # Diagnosis
    ("diagnosis", r"diagnos(?:e|es|ed|is|ing)"),
    ("assessment", r"assess(?:ment|ed)?"),
    ("x-ray", r"x-?rays?"),
    ("ultrasound", r"ultrasounds?"),
    ("scan", r"(?:mri|ct) scans?|scans"),
    ("root cause", r"root cause|underlying cause"),
    # Treatment
    ("treatment", r"treat(?:s|ed|ing|ment|ments)?"),
    ("adjustment", r"adjust(?:ment|ments|ed)"),
    ("manipulation", r"manipulations?"),
    ("rehab", r"rehab(?:ilitation)?"),
    ("therapy", r"therap(?:y|ies|ist)"),
    # Outcomes
    ("recovery", r"recover(?:y|ed|ing)?"),
    ("relief", r"relie(?:f|ved|ve)|releif"),
    ("fixed", r"fix(?:ed|es)?"),
    ("cured", r"cur(?:e|ed|es)"),
    ("healed", r"heal(?:ed|ing|s)?"),
    ("improvement", r"improve(?:d|ment|ments)?"),
    ("results", r"results?"),
    ("solved", r"solved"),
    ("feels better", r"(?:feels?|feeling|getting) (?:much |a lot )?better"),
    ("difference", r"(?:made|see|saw) (?:a |the )?(?:real |big |huge )?difference"),
    ("progress", r"progress"),
    ("liberated", r"liberated"),
    ("agile", r"agile"),
    ("helped", r"helped me"),
    ("percentage", r"per ?cent(?:age)?"),
    # Clinical skill and claims of it
    (
        "clinical skill",
        r"skill(?:s|ed)?|expertise|knowledge(?:able)?|knows (?:his|her|their) stuff",
    ),
    ("miracle", r"miracles?|magic"),
    ("best", r"best of the best|the best in"),
    # Body parts and conditions
    (
        "body part",
        r"neck|back|lower back|spine|spinal|shoulders?|knees?|hips?|ankles?|feet|foot|heels?"
        r"|elbows?|wrists?|hamstrings?|joints?|muscles?|tendons?|discs?|posture|pelvis|pelvic"
        r"|whole body|body",
    ),
    (
        "condition",
        r"sciatica|arthritis|headaches?|migraines?|sprains?|strains?|tendinitis|tendonitis"
        r"|bulging|herniated|scoliosis|whiplash",
    ),
]
_PERCENT = re.compile(r"\d+(?:\.\d+)?\s?(?:%|per ?cent)", re.IGNORECASE)
_COMPILED = [(label, re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE)) for label, pattern in _TERMS]


@dataclass(frozen=True)
class Screening:
    """What the screening found: the matched words as written, and a suggested classification."""

    terms: tuple[str, ...]

    @property
    def flagged(self):
        return bool(self.terms)

    @property
    def suggested_classification(self):
        return CLINICAL if self.terms else NON_CLINICAL

    def __str__(self):
        return ", ".join(self.terms)


def screen(text):
    """Flag clinical language in `text`; the terms come back in the order they appear, once each."""
    found = []
    for match in _PERCENT.finditer(text or ""):
        found.append((match.start(), match.group(0)))
    for _label, pattern in _COMPILED:
        for match in pattern.finditer(text or ""):
            found.append((match.start(), match.group(0)))
    terms = []
    seen = set()
    for _position, word in sorted(found):
        key = word.lower()
        if key not in seen:
            seen.add(key)
            terms.append(key)
    return Screening(tuple(terms))


# British and American spellings normalise to one form, so "personalised" and "personalized"
# (and colour/color, centre/center, travelled/traveled) compare equal.
_SPELLING = {
    "centre": "center",
    "centres": "centers",
    "metre": "meter",
    "metres": "meters",
    "programme": "program",
    "programmes": "programs",
    "travelled": "traveled",
    "travelling": "traveling",
    "cancelled": "canceled",
    "mum": "mom",
    "thankyou": "thank you",
}
_ISE = re.compile(r"(?<=\w{2})is(e|ed|es|ing|ation|ations)$")
_YSE = re.compile(r"(?<=\w{2})ys(e|ed|es|ing)$")
_OUR = re.compile(r"(?<=\w{3})our(s|ed|ing|ite|ites|able)?$")


def _word(word):
    word = _SPELLING.get(word, word)
    word = _ISE.sub(r"iz\1", word)
    word = _YSE.sub(r"yz\1", word)
    # Only words of six letters and more: "your", "hour" and "four" must not become "for".
    if len(word) >= 6:
        word = _OUR.sub(lambda m: "or" + (m.group(1) or ""), word)
    return word


def normalise(text):
    """Text reduced to what makes two stories the same story: letters and digits, lower case,
    single spaces, one spelling of British/American variants. Punctuation and emoji go."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    # Apostrophes join ("I've" == "Ive" == "I’ve"); every other non-letter separates words.
    text = re.sub(r"['’‘`´]", "", text)
    cleaned = "".join(ch if unicodedata.category(ch)[0] in {"L", "N"} else " " for ch in text)
    return " ".join(_word(word) for word in cleaned.split())


def normalised_hash(text):
    return hashlib.sha256(normalise(text).encode()).hexdigest()
