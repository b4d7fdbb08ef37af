"""'Near me': the radius a search asks for, its bounding box (in SQL or in
Python, with the same bounds) and the exact great-circle distance."""

import math
from dataclasses import dataclass

from django.db.models import Q

from cms.graphql.errors import ApiError, ErrorCode

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_LAT = 111.32
MAX_RADIUS_KM = 500.0


def haversine_km(lat1, lon1, lat2, lon2) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (lat1, lon1, lat2, lon2))
    a = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@dataclass
class Near:
    latitude: float
    longitude: float
    radius_km: float

    @classmethod
    def from_input(cls, near) -> "Near | None":
        if near is None:
            return None
        lat, lon = near.latitude, near.longitude
        radius = near.get("radius_km", 25.0)
        if not (-90 <= lat <= 90) or not (-180 <= lon <= 180):
            raise ApiError(
                "latitude must be within -90..90 and longitude within -180..180.",
                code=ErrorCode.INVALID_COORDINATES,
            )
        if radius is None or not (0 < radius <= MAX_RADIUS_KM):
            raise ApiError(
                f"radiusKm must be over 0 and at most {MAX_RADIUS_KM:g}.",
                code=ErrorCode.BAD_USER_INPUT,
            )
        return cls(lat, lon, radius)

    def box(self) -> tuple[float, float, float | None, float | None]:
        """Latitude and longitude bounds of a box around the circle (no
        longitude bounds near a pole or across the antimeridian)."""
        dlat = self.radius_km / KM_PER_DEGREE_LAT
        low = high = None
        cos_lat = math.cos(math.radians(self.latitude))
        if cos_lat > 0.01:
            dlon = self.radius_km / (KM_PER_DEGREE_LAT * cos_lat)
            low, high = self.longitude - dlon, self.longitude + dlon
            # Across the antimeridian the box would wrap; skip the longitude
            # prefilter there (rare) rather than get it wrong.
            if low < -180 or high > 180:
                low = high = None
        return self.latitude - dlat, self.latitude + dlat, low, high

    def bounding_box(self) -> Q:
        """A cheap SQL prefilter; the exact distance is checked in Python."""
        south, north, west, east = self.box()
        q = Q(
            latitude__isnull=False,
            longitude__isnull=False,
            latitude__gte=south,
            latitude__lte=north,
        )
        if west is not None:
            q &= Q(longitude__gte=west, longitude__lte=east)
        return q

    def in_box(self, rows):
        """``bounding_box`` in Python, over ``facet_index.Row``s."""
        south, north, west, east = self.box()
        for r in rows:
            lat, lon = r.latitude, r.longitude
            if lat is None or lon is None or not (south <= lat <= north):
                continue
            if west is None or west <= lon <= east:
                yield r


def within(near: Near, order: str, candidates) -> list[tuple]:
    """(pk, distance, sort key) of the ``candidates`` (pk, latitude,
    longitude[, sort key]) inside the radius, in ``order``."""
    rows = []
    lat0, lon0, radius = near.latitude, near.longitude, near.radius_km
    for pk, lat, lon, *key in candidates:
        distance = haversine_km(lat0, lon0, lat, lon)
        if distance <= radius:
            rows.append((pk, distance, key[0] if key else None))
    if order == "distance":
        rows.sort(key=lambda r: (r[1], r[0]))
    elif order == "name":
        rows.sort(key=lambda r: (r[2], r[0]))
    else:
        rows.sort(key=lambda r: (r[2] is None, -r[2].timestamp() if r[2] else 0, -r[0]))
    return rows
