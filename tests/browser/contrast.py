"""WCAG 2 contrast ratio of CSS colours as the browser computed them (`rgb(r, g, b)` / `rgba(...)`)."""

from __future__ import annotations

import re

_RGB = re.compile(r"rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:[,\s/]+([\d.]+))?\s*\)")


def parse_rgb(css: str) -> tuple[float, float, float, float]:
    match = _RGB.fullmatch(css.strip())
    if not match:
        raise ValueError(f"not an rgb() colour: {css!r}")
    r, g, b, a = match.groups()
    return float(r), float(g), float(b), float(a) if a is not None else 1.0


def _channel(value: float) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(css: str) -> float:
    r, g, b, alpha = parse_rgb(css)
    if alpha < 1:
        raise ValueError(f"contrast of a translucent colour depends on what is behind it: {css!r}")
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(foreground: str, background: str) -> float:
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
