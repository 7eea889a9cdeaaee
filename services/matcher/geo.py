"""Distances on the Earth's surface, and the grid cells a circle overlaps."""

from __future__ import annotations

from collections.abc import Iterator
from math import asin, cos, floor, radians, sin, sqrt

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)
KM_PER_DEGREE_LATITUDE = 111.2


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance by the haversine formula; within 0.5% of the ellipsoid for
    the UK, which is ample for ranking local groups."""
    phi1, phi2 = radians(lat1), radians(lat2)
    d_phi, d_lambda = phi2 - phi1, radians(lon2 - lon1)
    h = sin(d_phi / 2) ** 2 + cos(phi1) * cos(phi2) * sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(min(1.0, sqrt(h)))


def cell_of(latitude: float, longitude: float, size_degrees: float) -> tuple[int, int]:
    return floor(latitude / size_degrees), floor(longitude / size_degrees)


def cells_within(
    latitude: float, longitude: float, radius_km: float, size_degrees: float
) -> tuple[range, range]:
    """Rows and columns of the grid cells that a circle's bounding box overlaps."""
    lat_span = radius_km / KM_PER_DEGREE_LATITUDE
    # Longitude degrees shrink towards the poles; near them the box spans every longitude.
    shrink = cos(radians(min(89.0, abs(latitude) + lat_span)))
    lon_span = min(180.0, radius_km / (KM_PER_DEGREE_LATITUDE * shrink))
    rows = range(floor((latitude - lat_span) / size_degrees), floor((latitude + lat_span) / size_degrees) + 1)
    columns = range(
        floor((longitude - lon_span) / size_degrees), floor((longitude + lon_span) / size_degrees) + 1
    )
    return rows, columns


def cells_of_circle(
    latitude: float, longitude: float, radius_km: float, size_degrees: float
) -> Iterator[tuple[int, int]]:
    rows, columns = cells_within(latitude, longitude, radius_km, size_degrees)
    for row in rows:
        for column in columns:
            yield row, column
