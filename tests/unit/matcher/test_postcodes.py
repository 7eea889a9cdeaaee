"""Postcode and district lookups, from both file formats an operator may supply."""

from __future__ import annotations

import pytest

from services.common.errors import InvalidArgument
from services.matcher.postcodes import (
    NoPostcodeFile,
    PostcodeFileError,
    PostcodeLookup,
    normalise,
)

# An ONSPD-shaped file: the column names are the ONS Postcode Directory's; the rows are
# made up for the test (a live postcode, a terminated one, one without a grid reference).
ONSPD = """pcd,pcd2,pcds,dointr,doterm,lat,long
"XX1 1AA","XX1  1AA","XX1 1AA",199801,,53.0,-2.0
"XX1 1AB","XX1  1AB","XX1 1AB",199801,,53.2,-2.2
"XX1 1AC","XX1  1AC","XX1 1AC",199801,200512,60.0,-1.0
"XX1 9ZZ","XX1  9ZZ","XX1 9ZZ",199801,,99.999999,0.000000
"""


@pytest.mark.parametrize(("given", "expected"), [
    ("m1 1ae", "M1 1AE"), (" M11AE ", "M1 1AE"), ("sw1a 1aa", "SW1A 1AA"), ("cf10", "CF10"),
    ("M1", "M1"), ("hello!", None), ("12345", None), ("M1 1A", None),
])
def test_postcodes_and_districts_are_normalised(given, expected):
    assert normalise(given) == expected


def test_a_district_is_found_in_the_district_table(districts):
    place = districts.place("m1", "postcode")
    assert (place.postcode, round(place.latitude, 2), round(place.longitude, 2)) == ("M1", 53.48, -2.24)
    assert "postcode district M1" in place.resolved_from


def test_a_full_postcode_falls_back_to_its_district_and_says_so(districts):
    place = districts.place("CF10 1EP", "postcode")
    assert place.postcode == "CF10 1EP"
    assert (place.latitude, place.longitude) == districts.districts["CF10"]
    assert "districts only" in place.resolved_from


def test_an_unknown_district_is_invalid_argument_naming_the_field(districts):
    with pytest.raises(InvalidArgument) as caught:
        districts.place("ZZ9 9ZZ", "postcode")
    assert caught.value.violations == [
        {"field": "postcode", "description": "unknown postcode district 'ZZ9'"}]


def test_text_that_is_no_postcode_is_invalid_argument(districts):
    with pytest.raises(InvalidArgument) as caught:
        districts.place("Manchester", "location.postcode")
    assert caught.value.violations[0]["field"] == "location.postcode"
    assert "not a UK postcode or postcode district" in caught.value.violations[0]["description"]


def test_the_onspd_columns_are_read_skipping_terminated_and_ungridded_postcodes(tmp_path):
    path = tmp_path / "onspd.csv"
    path.write_text(ONSPD)
    lookup = PostcodeLookup.from_file(path)
    assert set(lookup.postcodes) == {"XX1 1AA", "XX1 1AB"}
    assert lookup.find("xx11ab").resolved_from == "postcode XX1 1AB"
    # The district's centre is the mean of its live postcodes.
    district = lookup.find("XX1")
    assert (round(district.latitude, 6), round(district.longitude, 6)) == (53.1, -2.1)
    assert "XX1 1ZZ itself is not in the postcode file" in lookup.find("XX1 1ZZ").resolved_from


def test_a_missing_file_names_the_setting(tmp_path):
    with pytest.raises(PostcodeFileError, match="LADDER_POSTCODE_FILE=.*no such file"):
        PostcodeLookup.from_file(tmp_path / "nowhere.csv")


def test_a_file_of_another_shape_is_refused_naming_the_columns(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("code,x,y\nM1,1,2\n")
    with pytest.raises(PostcodeFileError, match="pcds, lat, long"):
        PostcodeLookup.from_file(path)


def test_with_no_postcode_file_a_lookup_says_which_setting_to_set():
    with pytest.raises(InvalidArgument) as caught:
        NoPostcodeFile().place("M1", "postcode")
    assert "LADDER_POSTCODE_FILE" in caught.value.violations[0]["description"]
    assert NoPostcodeFile().find("M1") is None
