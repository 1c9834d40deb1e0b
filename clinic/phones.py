"""Australian phone numbers, in one place: read what a person typed, store it in international
form (+61…), show it as Australians write it, and link it for dialling (tel:)."""

import re

from django.core.exceptions import ValidationError

# 9 digits after the leading 0 (or +61): mobiles 4xx, landlines 2/3/7/8.
_NATIONAL_NUMBER = re.compile(r"^[23478]\d{8}$")
_SEPARATORS = re.compile(r"[\s().\-/]")
# 13 xx xx, 1300 and 1800 numbers: a business may have one, a person does not.
_BUSINESS_NUMBER = re.compile(r"^(13\d{4}|1[38]00\d{6})$")
INVALID_MESSAGE = "Enter an Australian phone number, e.g. 0412 345 678 or (02) 9876 5432."


def normalise(value: str) -> str:
    """'0412 345 678', '+61 412 345 678', '(02) 9876 5432' → '+61412345678' etc.

    Raises ValidationError for anything that is not an Australian mobile or landline number.
    """
    digits = _SEPARATORS.sub("", value.strip().replace("(0)", ""))
    if digits.startswith("+61"):
        national = digits[3:]
    elif digits.startswith("0061"):
        national = digits[4:]
    elif digits.startswith("61") and len(digits) == 11:
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        national = digits
    if national.startswith("0"):
        national = national[1:]
    if not _NATIONAL_NUMBER.match(national):
        raise ValidationError(INVALID_MESSAGE, code="invalid_phone")
    return "+61" + national


def display(number: str) -> str:
    """+61412345678 as a person reads it: 0412 345 678, or (02) 9876 5432; anything else as is."""
    if not (number.startswith("+61") and len(number) == 12):
        return number
    national = "0" + number[3:]
    if national.startswith("04"):
        return f"{national[:4]} {national[4:7]} {national[7:]}"
    return f"({national[:2]}) {national[2:6]} {national[6:]}"


def tel_uri(number: str) -> str:
    """A tel: link for a number as written: international for mobiles and landlines, the digits
    as dialled for the rest (13, 1300 and 1800 numbers work only from within Australia)."""
    try:
        return "tel:" + normalise(number)
    except ValidationError:
        return "tel:" + "".join(ch for ch in number if ch.isdigit() or ch == "+")


def validate_business_number(value: str) -> None:
    """For the clinic's own number: a mobile or landline, or a 13, 1300 or 1800 number."""
    try:
        normalise(value)
    except ValidationError:
        if not _BUSINESS_NUMBER.match(_SEPARATORS.sub("", value)):
            raise ValidationError(
                "Enter the number as patients dial it in Australia, e.g. 02 9000 0000, "
                "0412 345 678 or 1300 000 000.",
                code="invalid_phone",
            ) from None
