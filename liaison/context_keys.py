"""How a context (a person of concern, a vehicle, a phone number, an online handle, a
place) is written the same way whoever typed it, and the keyed hash by which the same
context is found in another family without the database holding it in plain text.

One normal form per kind: "ab-12 cd" and "AB12CD" are one plate, "06 1234 5678" and
"+31 6 12345678" one phone number. The match key is an HMAC-SHA256 of the kind and the
normal form under ``settings.CONTEXT_MATCH_KEY`` (a blind index): equal contexts have
equal keys, so matching is one indexed lookup; the key alone tells nothing of the value.
Nothing here leaves the server."""

import hashlib
import hmac
import re
import unicodedata

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The region a phone number without a country code belongs to.
PHONE_REGION = "NL"

PLATE_SEPARATORS = re.compile(r"[\s\-.·]+")
PLATE = re.compile(r"[A-Z0-9]{2,10}")
HANDLE = re.compile(r"[\w.\-]{1,60}")
NOT_A_LETTER_OR_DIGIT = re.compile(r"[^\w]+|_+")
# Nicknames and aliases: one per line, or separated by commas or semicolons.
NAME_LIST_SEPARATORS = re.compile(r"[\n,;]+")

BAD_PLATE = _("Give the number plate as letters and digits, for example AB-123-C.")
BAD_PHONE = _("Give a phone number that exists, for example 06 1234 5678 or +44 7911 123456.")
BAD_HANDLE = _("Give the handle as it shows on the platform, for example @name.")
BAD_NAME = _("Give a name with at least one letter.")


def without_accents(text: str) -> str:
    """The text without diacritics: "Zoë" becomes "Zoe"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def normal_plate(text: str) -> str:
    """A number plate in capitals without spaces, dashes or dots: "ab-12 cd" → "AB12CD"."""
    plate = PLATE_SEPARATORS.sub("", without_accents(text or "").upper())
    # Every plate holds a digit: "a grey Golf" is a description, not a plate.
    if not PLATE.fullmatch(plate) or not any(char.isdigit() for char in plate):
        raise ValidationError(BAD_PLATE, code="plate")
    return plate


def normal_phone(text: str) -> str:
    """A phone number in international form (E.164): "06 1234 5678" → "+31612345678"."""
    try:
        number = phonenumbers.parse((text or "").strip(), PHONE_REGION)
    except phonenumbers.NumberParseException:
        raise ValidationError(BAD_PHONE, code="phone") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(BAD_PHONE, code="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_for_reading(normal: str) -> str:
    """A phone number in its normal form, written for people: "+31 6 12345678"."""
    try:
        number = phonenumbers.parse(normal, PHONE_REGION)
    except phonenumbers.NumberParseException:
        return normal
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normal_handle(text: str) -> str:
    """An online handle without a leading @ and spaces, case folded: " @Big_Boy " → "big_boy"."""
    handle = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).lstrip("@").casefold()
    if not HANDLE.fullmatch(handle):
        raise ValidationError(BAD_HANDLE, code="handle")
    return handle


def normal_name(text: str) -> str:
    """A name or place as words: case folded, without diacritics or punctuation, single
    spaces: "  Zoë  van-Dijk " → "zoe van dijk". Empty when nothing is left."""
    words = NOT_A_LETTER_OR_DIGIT.sub(" ", without_accents(text or "").casefold())
    return " ".join(words.split())


def checked_name(text: str) -> str:
    """``normal_name``, refusing a name with no letter or digit in it."""
    name = normal_name(text)
    if not name:
        raise ValidationError(BAD_NAME, code="name")
    return name


def name_list(text: str) -> list[str]:
    """The nicknames or aliases written in one field, each as typed, empty ones left out."""
    return [name.strip() for name in NAME_LIST_SEPARATORS.split(text or "") if name.strip()]


def normal_place(name: str, area: str) -> str:
    """A place by its name and area: "Station  Zuid", "Amsterdam" → "station zuid|amsterdam"."""
    return f"{checked_name(name)}|{normal_name(area)}"


def match_key(kind: str, normal: str) -> str:
    """The blind index of a context of this kind in its normal form (64 hex digits)."""
    key = settings.CONTEXT_MATCH_KEY.encode()
    return hmac.new(key, f"{kind}\x1f{normal}".encode(), hashlib.sha256).hexdigest()


# Free text of the time before contexts: one item a line, or separated by commas or semicolons.
TEXT_ITEMS = re.compile(r"[\n,;]+")


def parsed_items(text: str, normalise) -> tuple[list[tuple[str, str]], list[str]]:
    """The items of a free text that ``normalise`` accepts, as (as typed, normal form),
    and those it does not, as typed (they stay where they were, as text)."""
    parsed, kept = [], []
    for item in (piece.strip() for piece in TEXT_ITEMS.split(text or "")):
        if not item:
            continue
        try:
            parsed.append((item, normalise(item)))
        except ValidationError:
            kept.append(item)
    return parsed, kept


# Free text that says who or where is not known names nothing.
NOT_KNOWN = frozenset(
    {"onbekend", "niet bekend", "unknown", "not known", "weet niet", "geen", "none", "nvt", "n v t", "nee", "no"}
)
# The small words of names that are written in lower case: "Kevin de Groot", "Ali el Amrani".
NAME_PARTICLES = frozenset(
    {"van", "de", "der", "den", "het", "ter", "ten", "te", "t", "la", "le", "da", "di", "du", "el", "al", "von", "bin"}
)
NAME_WORDS = 4


def _words(text: str) -> list[str]:
    return " ".join((text or "").split()).strip(" .'\"\u2018\u2019\u201c\u201d").split()


def name_in_text(text: str) -> str:
    """A person's name in a free text of the time before contexts, as typed: one to four
    words without digits, capitalised but for particles ("Kevin de Groot", "'Rico'").
    A description ("older boy on a scooter", "onbekend") is not a name: ValidationError."""
    words = _words(text)
    typed = " ".join(words)
    capitalised = [word[:1].isupper() for word in words]
    if (
        not words
        or len(words) > NAME_WORDS
        or any(char.isdigit() for char in typed)
        or normal_name(typed) in NOT_KNOWN
        or not any(capitalised)
        or not all(upper or word.casefold() in NAME_PARTICLES for word, upper in zip(words, capitalised, strict=True))
    ):
        raise ValidationError(BAD_NAME, code="name")
    checked_name(typed)
    return typed


def plate_in_text(text: str) -> str:
    """A number plate in a free text: ``normal_plate``, holding at least two digits and a
    letter, so that "Golf 7" stays a description."""
    plate = normal_plate(text)
    if sum(char.isdigit() for char in plate) < 2 or not any(char.isalpha() for char in plate):
        raise ValidationError(BAD_PLATE, code="plate")
    return plate


def place_in_text(text: str) -> tuple[str, str]:
    """A named place in a free text, as (name, area): "Hotel Centraal, Rotterdam" gives
    ("Hotel Centraal", "Rotterdam"). A place is named when a word after the first is
    capitalised or holds a house number ("Park Zuid", "Stationsplein 12"); "at a friend's",
    "thuis" or a town alone are not places: ValidationError."""
    name, _comma, area = (text or "").partition(",")
    words, area = _words(name), " ".join(area.split()).strip(" .")
    named = len(words) >= 2 and any(word[:1].isupper() or word[:1].isdigit() for word in words[1:])
    if not named or normal_name(" ".join(words)) in NOT_KNOWN:
        raise ValidationError(BAD_NAME, code="place")
    name = " ".join(words)
    normal_place(name, area)
    return name, area
