"""Great-circle geometry and the rough outline of Japan, in plain floats (degrees in, metres out)."""

from __future__ import annotations

import math

# Mean Earth radius (IUGG), metres: the same value for the index, the brute-force check and the answers.
EARTH_RADIUS_M = 6_371_008.8

# Japan as a union of boxes (lat_min, lat_max, lon_min, lon_max): generous around the islands, so that no
# designated site is refused, and tight enough to tell Japan from the rest of the world.
_JAPAN_BOXES: tuple[tuple[float, float, float, float], ...] = (
    (41.2, 45.7, 139.2, 149.0),  # Hokkaido and the islands off its east coast
    (30.0, 34.8, 128.4, 142.3),  # Kyushu, Shikoku, southern Honshu, Tsushima, Goto
    (34.8, 41.7, 130.8, 142.3),  # the rest of Honshu (west of it lies Korea)
    (24.0, 34.9, 138.8, 142.5),  # Izu and Ogasawara islands
    (24.0, 31.0, 122.8, 131.5),  # Nansei islands (Okinawa, Amami, Sakishima, Daito)
    (20.3, 20.6, 135.9, 136.2),  # Okinotorishima
    (24.2, 24.4, 153.9, 154.1),  # Minamitorishima
)


def inside_japan(latitude: float, longitude: float) -> bool:
    return any(a <= latitude <= b and c <= longitude <= d for a, b, c, d in _JAPAN_BOXES)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def unit_vector(latitude: float, longitude: float) -> tuple[float, float, float]:
    """The point on the unit sphere: straight-line (chord) order there is great-circle order."""
    phi, lam = math.radians(latitude), math.radians(longitude)
    return (math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi))


def chord_to_metres(chord: float) -> float:
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, chord / 2))


def map_url(latitude: float, longitude: float) -> str:
    """A link that opens a map at the site on any phone (built from coordinates only: no resident data)."""
    return f"https://www.google.com/maps/search/?api=1&query={latitude:.6f},{longitude:.6f}"


def gsi_map_url(latitude: float, longitude: float) -> str:
    """The same place on the GSI map (地理院地図)."""
    return f"https://maps.gsi.go.jp/#16/{latitude:.6f}/{longitude:.6f}/"


def local_xy_m(latitude: float, longitude: float, origin_lat: float, origin_lon: float) -> tuple[float, float]:
    """Metres east and north of an origin (equirectangular: fine within a city)."""
    x = math.radians(longitude - origin_lon) * EARTH_RADIUS_M * math.cos(math.radians(origin_lat))
    y = math.radians(latitude - origin_lat) * EARTH_RADIUS_M
    return x, y
