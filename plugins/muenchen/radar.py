"""Geometry of the radar picture: fields are sectors, stages are rings (innermost: furthest along).

Positions are computed here and drawn by a Jinja SVG template, so the picture is rendered on the
server and needs no JavaScript.
"""

import math
import zlib
from dataclasses import dataclass

SIZE = 640
CENTER = SIZE / 2
RADIUS = 290


@dataclass
class Blip:
    project: object
    number: int
    x: float
    y: float


@dataclass
class Sector:
    name: str
    label_x: float
    label_y: float
    line_x: float
    line_y: float


def _jitter(seed: str, low: float, high: float) -> float:
    """A stable position inside ``[low, high]`` for the same project, so the picture does not jump."""
    fraction = (zlib.crc32(seed.encode()) % 1000) / 1000
    return low + (high - low) * fraction


def ring_radii(stage_count: int) -> list[float]:
    return [RADIUS * (i + 1) / stage_count for i in range(stage_count)]


def layout(projects, fields: list[str], stages: list[str]) -> tuple[list[Blip], list[Sector], list[float]]:
    """Blips for the projects (unknown fields or stages are left off), sector lines and ring radii."""
    radii = ring_radii(len(stages))
    span = 2 * math.pi / max(len(fields), 1)
    sectors = []
    for i, name in enumerate(fields):
        start = i * span - math.pi / 2
        middle = start + span / 2
        sectors.append(Sector(name, CENTER + (RADIUS + 16) * math.cos(middle),
                              CENTER + (RADIUS + 16) * math.sin(middle),
                              CENTER + RADIUS * math.cos(start), CENTER + RADIUS * math.sin(start)))
    blips = []
    for number, project in enumerate(projects, start=1):
        if project.field not in fields or project.stage not in stages:
            continue
        f, s = fields.index(project.field), stages.index(project.stage)
        inner = radii[s - 1] if s else 0
        radius = _jitter(f"r{project.id}", inner + 14, radii[s] - 14)
        start = f * span - math.pi / 2
        angle = _jitter(f"a{project.id}", start + 0.12, start + span - 0.12)
        blips.append(Blip(project, number, CENTER + radius * math.cos(angle), CENTER + radius * math.sin(angle)))
    return blips, sectors, radii
