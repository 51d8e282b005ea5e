"""Is a point inside the area a municipality's data covers? An approximation, stated as such to residents.

The data holds no city boundary, so a municipality's area is taken as the convex hull of its designated places,
widened by AREA_MARGIN_M: a resident inside gets the nearest sites plainly; one outside gets them with a note
that they seem to be outside the city.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from knowledge_base.shelters.geo import local_xy_m

AREA_MARGIN_M = 3_000.0

Point = tuple[float, float]


def _cross(o: Point, a: Point, b: Point) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def convex_hull(points: Sequence[Point]) -> list[Point]:
    """Counter-clockwise hull (Andrew's monotone chain); fewer than 3 distinct points come back as they are."""
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts
    lower: list[Point] = []
    for p in pts:
        while len(lower) >= 2 and _cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[Point] = []
    for p in reversed(pts):
        while len(upper) >= 2 and _cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _segment_distance(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
    return math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy))


class Area:
    """The widened hull of a set of (latitude, longitude) points."""

    def __init__(self, points: Sequence[tuple[float, float]], margin_m: float = AREA_MARGIN_M) -> None:
        self.origin = (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
        self.margin_m = margin_m
        self.hull = convex_hull([local_xy_m(lat, lon, *self.origin) for lat, lon in points])

    def distance_outside_m(self, latitude: float, longitude: float) -> float:
        """0 inside the hull, else the distance to its edge."""
        p = local_xy_m(latitude, longitude, *self.origin)
        hull = self.hull
        if len(hull) >= 3 and all(_cross(hull[i], hull[(i + 1) % len(hull)], p) >= 0 for i in range(len(hull))):
            return 0.0
        if len(hull) == 1:
            return math.hypot(p[0] - hull[0][0], p[1] - hull[0][1])
        return min(_segment_distance(p, hull[i], hull[(i + 1) % len(hull)]) for i in range(len(hull)))

    def contains(self, latitude: float, longitude: float) -> bool:
        return self.distance_outside_m(latitude, longitude) <= self.margin_m
