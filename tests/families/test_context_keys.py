"""The normal form of each kind of context, and its blind index."""

import pytest
from django.core.exceptions import ValidationError

from liaison import context_keys


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("AB-123-C", "AB123C"),
        ("ab 123 c", "AB123C"),
        (" ab.123.c ", "AB123C"),
        ("12-XYZ-3", "12XYZ3"),
        ("gb  ab12 cde", "GBAB12CDE"),
    ],
)
def test_plates(typed, normal):
    assert context_keys.normal_plate(typed) == normal


@pytest.mark.parametrize("typed", ["", " - ", "A", "AB*12", "ABCDEFGHIJK1", "Ä€12", "a grey Golf"])
def test_bad_plates_are_refused(typed):
    with pytest.raises(ValidationError) as refused:
        context_keys.normal_plate(typed)
    assert refused.value.messages == [str(context_keys.BAD_PLATE)]


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("06 1234 5678", "+31612345678"),
        ("06-12345678", "+31612345678"),
        ("+31 6 12345678", "+31612345678"),
        ("0031612345678", "+31612345678"),
        ("(020) 555 1234", "+31205551234"),
        ("+44 7911 123456", "+447911123456"),
    ],
)
def test_phones(typed, normal):
    assert context_keys.normal_phone(typed) == normal


@pytest.mark.parametrize("typed", ["", "12", "not a number", "06 1234", "+99 123 456"])
def test_bad_phones_are_refused(typed):
    with pytest.raises(ValidationError):
        context_keys.normal_phone(typed)


def test_a_phone_reads_in_international_form():
    assert context_keys.phone_for_reading("+31612345678") == "+31 6 12345678"


@pytest.mark.parametrize(
    ("typed", "normal"),
    [("@Big_Boy", "big_boy"), (" big_boy ", "big_boy"), ("@@BIG.boy-1", "big.boy-1"), ("big boy", "bigboy")],
)
def test_handles(typed, normal):
    assert context_keys.normal_handle(typed) == normal


@pytest.mark.parametrize("typed", ["", "@", "big/boy", "x" * 61])
def test_bad_handles_are_refused(typed):
    with pytest.raises(ValidationError):
        context_keys.normal_handle(typed)


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("  Zoë  van-Dijk ", "zoe van dijk"),
        ("ZOE VAN DIJK", "zoe van dijk"),
        ("Şükrü", "sukru"),
        ("D'Angelo", "d angelo"),
        ("!!!", ""),
    ],
)
def test_names(typed, normal):
    assert context_keys.normal_name(typed) == normal


def test_places_are_name_and_area():
    assert context_keys.normal_place(" Station  Zuid", "Amsterdam") == "station zuid|amsterdam"
    assert context_keys.normal_place("Station Zuid", "") == "station zuid|"
    with pytest.raises(ValidationError):
        context_keys.normal_place("...", "Amsterdam")


def test_name_lists_split_on_lines_commas_and_semicolons():
    assert context_keys.name_list("Dj K\n, Kev;; \nKevvy ") == ["Dj K", "Kev", "Kevvy"]


def test_match_keys_are_keyed_and_tell_kinds_apart(settings):
    plate = context_keys.match_key("vehicle", "AB123C")
    assert len(plate) == 64 and "AB123C" not in plate
    assert context_keys.match_key("vehicle", "AB123C") == plate
    assert context_keys.match_key("handle", "AB123C") != plate
    settings.CONTEXT_MATCH_KEY = "another-key-of-at-least-thirty-two-characters"
    assert context_keys.match_key("vehicle", "AB123C") != plate


# Free text of the time before contexts (an incident's "who", a missing episode's "where
# found"): only what looks like a name, plate or place becomes a context.
@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("Kevin de Groot", "Kevin de Groot"),
        ("'Rico'", "Rico"),
        ("van Dijk", "van Dijk"),
        ("Ali el Amrani", "Ali el Amrani"),
        ("DJ K", "DJ K"),
        ("Older boy called 'Rico'", None),
        ("black scooter", None),
        ("Onbekend", None),
        ("unknown", None),
        ("a man", None),
        ("Kevin (Kev)", None),
        ("Kevin 2", None),
        ("Jan Piet Klaas Kees Joop", None),
    ],
)
def test_names_in_free_text(typed, name):
    if name is None:
        with pytest.raises(ValidationError):
            context_keys.name_in_text(typed)
    else:
        assert context_keys.name_in_text(typed) == name


@pytest.mark.parametrize(
    ("typed", "plate"),
    [("AB-123-C", "AB123C"), ("ab 12 cd", "AB12CD"), ("Golf 7", None), ("0612345678", None), ("Rico", None)],
)
def test_plates_in_free_text(typed, plate):
    if plate is None:
        with pytest.raises(ValidationError):
            context_keys.plate_in_text(typed)
    else:
        assert context_keys.plate_in_text(typed) == plate


@pytest.mark.parametrize(
    ("typed", "place"),
    [
        ("Hotel Centraal, Rotterdam", ("Hotel Centraal", "Rotterdam")),
        ("Park Zuid", ("Park Zuid", "")),
        ("Stationsplein 12", ("Stationsplein 12", "")),
        ("bij Hotel Centraal", ("bij Hotel Centraal", "")),
        ("At a friend's", None),
        ("thuis", None),
        ("Rotterdam", None),
        ("Onbekend", None),
        ("", None),
    ],
)
def test_places_in_free_text(typed, place):
    if place is None:
        with pytest.raises(ValidationError):
            context_keys.place_in_text(typed)
    else:
        assert context_keys.place_in_text(typed) == place
