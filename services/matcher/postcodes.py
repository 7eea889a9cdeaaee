"""UK postcodes and postcode districts to coordinates, from an operator-supplied file.

Two formats are read, told apart by their header:
- the ONS Postcode Directory (ONSPD): columns `pcds` (the postcode, "M1 1AE"), `lat` and
  `long`; terminated postcodes (a `doterm` date) and rows without a grid reference
  (latitude 99.999999) are skipped. District centroids are the mean of their postcodes.
- a district file such as the CC0 table of district centroids: columns `postcode` (the
  district, "M1"), `latitude` and `longitude`.

Only the district is needed to place an organisation well enough for a 5 km radius; a full
postcode not in the file falls back to its district, and says so.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from services.common.errors import InvalidArgument

SETTING = "LADDER_POSTCODE_FILE"
_FULL = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
_NO_GRID_REFERENCE = 99.0  # ONSPD gives latitude 99.999999 where a postcode has none


class PostcodeFileError(Exception):
    """The postcode file named by the setting cannot be used; the message says why."""


@dataclass(frozen=True)
class Place:
    latitude: float
    longitude: float
    postcode: str  # as normalised: "M1 1AE" or "M1"
    resolved_from: str  # in words: "postcode M1 1AE", "postcode district M1 (centroid)"


def normalise(text: str) -> str | None:
    """' m1 1ae ' -> 'M1 1AE'; 'm1' -> 'M1'; not a postcode or district -> None."""
    compact = re.sub(r"\s+", "", text).upper()
    full = _FULL.match(compact)
    if full:
        return f"{full.group(1)} {full.group(2)}"
    return compact if _DISTRICT.match(compact) else None


def district_of(postcode: str) -> str:
    return postcode.split(" ")[0]


class PostcodeLookup:
    def __init__(
        self,
        postcodes: dict[str, tuple[float, float]],
        districts: dict[str, tuple[float, float]],
        source: str,
    ) -> None:
        self.postcodes = postcodes
        self.districts = districts
        self.source = source

    @classmethod
    def from_file(cls, path: Path) -> PostcodeLookup:
        if not path.is_file():
            raise PostcodeFileError(f"{SETTING}={str(path)!r}: no such file")
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = [h.strip().lower() for h in next(reader, [])]
            if {"pcds", "lat", "long"} <= set(header):
                return cls._onspd(reader, header, path)
            if {"postcode", "latitude", "longitude"} <= set(header):
                return cls._districts(reader, header, path)
        raise PostcodeFileError(
            f"{SETTING}={str(path)!r}: the header has neither the ONSPD columns (pcds, lat, long) "
            "nor the district columns (postcode, latitude, longitude)"
        )

    @classmethod
    def _onspd(cls, reader: Iterator[list[str]], header: list[str], path: Path) -> PostcodeLookup:
        code, lat, lon = header.index("pcds"), header.index("lat"), header.index("long")
        terminated = header.index("doterm") if "doterm" in header else None
        postcodes: dict[str, tuple[float, float]] = {}
        sums: dict[str, list[float]] = {}
        for row in reader:
            if terminated is not None and row[terminated].strip():
                continue
            point = _point(row, lat, lon)
            postcode = normalise(row[code])
            if point is None or postcode is None:
                continue
            postcodes[postcode] = point
            total = sums.setdefault(district_of(postcode), [0.0, 0.0, 0])
            total[0] += point[0]
            total[1] += point[1]
            total[2] += 1
        districts = {d: (t[0] / t[2], t[1] / t[2]) for d, t in sums.items()}
        return cls(postcodes, districts, f"ONS Postcode Directory at {path}")

    @classmethod
    def _districts(cls, reader: Iterator[list[str]], header: list[str], path: Path) -> PostcodeLookup:
        code, lat, lon = header.index("postcode"), header.index("latitude"), header.index("longitude")
        districts: dict[str, tuple[float, float]] = {}
        for row in reader:
            point = _point(row, lat, lon)
            district = normalise(row[code])
            if point is not None and district is not None:
                districts[district_of(district)] = point
        return cls({}, districts, f"postcode districts at {path}")

    def find(self, text: str) -> Place | None:
        """The place for a postcode or district, or None when the file does not know it.
        Raises ValueError when `text` is not shaped like a postcode or district."""
        postcode = normalise(text)
        if postcode is None:
            raise ValueError(f"{text!r} is not a UK postcode or postcode district")
        if postcode in self.postcodes:
            latitude, longitude = self.postcodes[postcode]
            return Place(latitude, longitude, postcode, f"postcode {postcode}")
        district = district_of(postcode)
        if district not in self.districts:
            return None
        latitude, longitude = self.districts[district]
        if district == postcode:
            how = f"postcode district {district} (its centre)"
        elif self.postcodes:
            how = f"postcode district {district} (its centre; {postcode} itself is not in the postcode file)"
        else:
            how = f"postcode district {district} (its centre; the postcode file has districts only)"
        return Place(latitude, longitude, postcode, how)

    def place(self, text: str, field: str) -> Place:
        """As find, but a bad or unknown postcode is InvalidArgument naming `field`."""
        try:
            found = self.find(text)
        except ValueError as error:
            raise InvalidArgument.one(field, str(error)) from None
        if found is None:
            district = district_of(normalise(text) or text)
            raise InvalidArgument.one(field, f"unknown postcode district {district!r}")
        return found


class NoPostcodeFile:
    """Stands in when the operator has set no postcode file: every lookup says what to set."""

    source = "none"

    def find(self, text: str) -> Place | None:
        return None

    def place(self, text: str, field: str) -> Place:
        raise InvalidArgument.one(
            field,
            (
                f"postcodes cannot be looked up here: the operator has not set {SETTING} (an ONS "
                "Postcode Directory CSV, or a CSV of postcode districts); send location "
                "(latitude and longitude) instead"
            ),
        )


def load_postcodes(path: Path | None) -> PostcodeLookup | NoPostcodeFile:
    return NoPostcodeFile() if path is None else PostcodeLookup.from_file(path)


def _point(row: list[str], lat: int, lon: int) -> tuple[float, float] | None:
    try:
        latitude, longitude = float(row[lat]), float(row[lon])
    except (ValueError, IndexError):
        return None  # a blank or malformed row cannot place anything; skipped
    if abs(latitude) > _NO_GRID_REFERENCE or abs(longitude) > 180:
        return None
    return latitude, longitude
