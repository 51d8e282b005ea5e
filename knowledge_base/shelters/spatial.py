"""Exact nearest-neighbour search by great-circle distance, fast at national scale.

Points are stored as unit vectors in a k-d tree (scipy's cKDTree): on the sphere the straight-line (chord)
distance grows with the great-circle distance, so the k nearest by chord are exactly the k nearest by
great-circle distance, and the chord converts back to metres without loss.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy.spatial import cKDTree

from knowledge_base.shelters.geo import EARTH_RADIUS_M


def unit_vectors(latitudes: Sequence[float], longitudes: Sequence[float]) -> np.ndarray:
    phi = np.radians(np.asarray(latitudes, dtype=float))
    lam = np.radians(np.asarray(longitudes, dtype=float))
    return np.column_stack((np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)))


class SphereIndex:
    """Points on the Earth, each known by its position in the sequence given."""

    def __init__(self, latitudes: Sequence[float], longitudes: Sequence[float]) -> None:
        self.size = len(latitudes)
        self._tree = cKDTree(unit_vectors(latitudes, longitudes)) if self.size else None

    def nearest(self, latitude: float, longitude: float, k: int) -> list[tuple[int, float]]:
        """Up to k (position, metres) pairs, nearest first."""
        if self._tree is None or k <= 0:
            return []
        k = min(k, self.size)
        chords, positions = self._tree.query(unit_vectors([latitude], [longitude])[0], k=k)
        if k == 1:
            chords, positions = [chords], [positions]
        return [
            (int(p), 2 * EARTH_RADIUS_M * math.asin(min(1.0, float(c) / 2)))
            for c, p in zip(chords, positions, strict=True)
        ]

    def within(self, latitude: float, longitude: float, radius_m: float) -> list[int]:
        """Positions of every point within radius_m (any order)."""
        if self._tree is None:
            return []
        chord = 2 * math.sin(min(math.pi / 2, radius_m / (2 * EARTH_RADIUS_M)))
        return [int(p) for p in self._tree.query_ball_point(unit_vectors([latitude], [longitude])[0], r=chord)]
