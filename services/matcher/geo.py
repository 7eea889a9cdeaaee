"""Distances on the Earth's surface."""

from __future__ import annotations

from math import asin, cos, radians, sin, sqrt

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance by the haversine formula; within 0.5% of the ellipsoid for
    the UK, which is ample for ranking local groups."""
    phi1, phi2 = radians(lat1), radians(lat2)
    d_phi, d_lambda = phi2 - phi1, radians(lon2 - lon1)
    h = sin(d_phi / 2) ** 2 + cos(phi1) * cos(phi2) * sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(min(1.0, sqrt(h)))
