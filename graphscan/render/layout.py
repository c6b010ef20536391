"""Node positions for maps, computed in Python: a ForceAtlas2-like layout that scales to 20k+ nodes.

ForceAtlas2 (Jacomy et al., 2014) moves nodes under three forces: degree-weighted repulsion
``k_r (deg_i+1)(deg_j+1) / d`` between every pair, linear attraction along edges and a gravity
towards the centre, with an adaptive per-node speed. The all-pairs repulsion is what makes the
textbook version quadratic; here it is computed on a grid instead (a particle-mesh method): node
masses are spread onto a ``G x G`` grid, convolved by FFT with the ``1/d`` kernel and read back
at each node, and pairs closer than two grid cells get an exact correction found with a k-d tree.
One iteration then costs ``O(n + m + G^2 log G)``, so a browser never has to run the physics.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import fft as sfft
from scipy.spatial import cKDTree

__all__ = ["LayoutOptions", "forceatlas2_layout"]


@dataclass(frozen=True)
class LayoutOptions:
    """Parameters of ``forceatlas2_layout``; the defaults are Gephi's.

    ``iterations=None`` picks a count that falls with the graph's size (from 200 down to 60)
    so that 20k nodes lay out in seconds.
    """

    iterations: int | None = None
    scaling: float = 2.0
    gravity: float = 1.0
    jitter_tolerance: float = 1.0
    seed: int = 0


def _default_iterations(n: int) -> int:
    """200 iterations up to 2k nodes, then fewer (60 from 22k nodes): each costs O(n)."""
    return int(min(200, max(60, 200 * math.sqrt(2000 / max(n, 1)))))


def _undirected_pairs(n: int, src: np.ndarray, dst: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Collapse a directed multigraph to distinct undirected pairs with a multiplicity weight."""
    a = np.minimum(src, dst).astype(np.int64)
    b = np.maximum(src, dst).astype(np.int64)
    keep = a != b
    codes, counts = np.unique(a[keep] * n + b[keep], return_counts=True)
    return codes // n, codes % n, counts.astype(np.float64)


class _Mesh:
    """The particle-mesh evaluation of the field ``sum_j m_j (x - x_j) / |x - x_j|^2``.

    The grid spans the central 98% of the nodes (a few far-flung nodes would otherwise squeeze
    everyone else into a handful of cells); nodes outside it feel the whole mass as a point.
    """

    def __init__(self, n: int) -> None:
        self.g = int(min(128, max(32, 2 * math.sqrt(n))))
        g = self.g
        self.p = sfft.next_fast_len(2 * g - 1, real=True)
        off = np.fft.fftfreq(self.p, 1.0 / self.p)
        dx, dy = np.meshgrid(off, off, indexing="ij")
        r2 = dx * dx + dy * dy
        far = (np.abs(dx) >= g) | (np.abs(dy) >= g) | (r2 == 0)
        r2[far] = 1.0
        kx, ky = np.where(far, 0.0, dx / r2), np.where(far, 0.0, dy / r2)
        self.kx = sfft.rfft2(kx)
        self.ky = sfft.rfft2(ky)

    def field(self, pos: np.ndarray, mass: np.ndarray) -> tuple[np.ndarray, float]:
        """Return the field at every node and the grid cell size."""
        g = self.g
        lo, hi = np.percentile(pos, [1, 99], axis=0)
        margin = 0.02 * (hi - lo).max() + 1e-9
        lo, hi = lo - margin, hi + margin
        cell = float((hi - lo).max()) / (g - 1.001)
        grid = np.clip((pos - lo) / cell, 0.0, g - 1.001)
        base = np.floor(grid).astype(np.int64)
        frac = grid - base
        corners = []
        for di, dj in ((0, 0), (1, 0), (0, 1), (1, 1)):
            w = (frac[:, 0] if di else 1 - frac[:, 0]) * (frac[:, 1] if dj else 1 - frac[:, 1])
            corners.append(((base[:, 0] + di) * g + base[:, 1] + dj, w))
        rho = np.zeros(g * g)
        for index, w in corners:
            rho += np.bincount(index, weights=w * mass, minlength=g * g)
        spectrum = sfft.rfft2(rho.reshape(g, g), s=(self.p, self.p))
        out = np.empty_like(pos)
        for axis, kernel in enumerate((self.kx, self.ky)):
            values = sfft.irfft2(spectrum * kernel, s=(self.p, self.p))[:g, :g].ravel()
            out[:, axis] = sum(values[index] * w for index, w in corners)
        out /= cell
        outside = ((pos < lo) | (pos > hi)).any(axis=1)
        if outside.any():
            centre = (mass[:, None] * pos).sum(axis=0) / mass.sum()
            delta = pos[outside] - centre
            out[outside] = mass.sum() * delta / (delta**2).sum(axis=1, keepdims=True)
        return out, cell


def _repulsion(pos: np.ndarray, mass: np.ndarray, mesh: _Mesh, k_r: float) -> np.ndarray:
    field, cell = mesh.field(pos, mass)
    force = k_r * mass[:, None] * field
    radius = 1.25 * cell
    pairs = cKDTree(pos).query_pairs(radius, output_type="ndarray")
    if len(pairs):
        i, j = pairs[:, 0], pairs[:, 1]
        delta = pos[i] - pos[j]
        d = np.maximum(np.hypot(delta[:, 0], delta[:, 1]), 1e-3 * cell)
        # exact 1/d minus the grid's soft near-field estimate, fading to 0 at the radius
        mag = k_r * mass[i] * mass[j] * (1.0 / d - d / radius**2) / d
        push = delta * mag[:, None]
        n = len(pos)
        for axis in (0, 1):
            force[:, axis] += np.bincount(i, push[:, axis], n) - np.bincount(j, push[:, axis], n)
    return force


def _attraction(pos: np.ndarray, a: np.ndarray, b: np.ndarray, w: np.ndarray) -> np.ndarray:
    n = len(pos)
    pull = (pos[b] - pos[a]) * w[:, None]
    force = np.empty_like(pos)
    for axis in (0, 1):
        force[:, axis] = np.bincount(a, pull[:, axis], n) - np.bincount(b, pull[:, axis], n)
    return force


class _Speed:
    """ForceAtlas2's adaptive global speed (swing versus traction), as in Gephi."""

    def __init__(self, n: int, jitter_tolerance: float) -> None:
        self.n = n
        self.tolerance = jitter_tolerance
        self.speed = 1.0
        self.efficiency = 1.0

    def step(self, mass: np.ndarray, force: np.ndarray, previous: np.ndarray) -> np.ndarray:
        swing = np.hypot(*(force - previous).T)
        traction = np.hypot(*(force + previous).T) / 2
        # plain sums, not ``@``: a BLAS dot on a busy 2-core machine costs ~25 ms in thread hand-off
        total_swing = float((mass * swing).sum())
        total_traction = float((mass * traction).sum())
        estimate = 0.05 * math.sqrt(self.n)
        jitter = self.tolerance * max(
            math.sqrt(estimate), min(10.0, estimate * total_traction / max(self.n, 1) ** 2)
        )
        if total_traction > 0 and total_swing / total_traction > 2.0:
            self.efficiency = max(self.efficiency * 0.5, 0.05)
            jitter = max(jitter, self.tolerance)
        target = jitter * self.efficiency * total_traction / max(total_swing, 1e-12)
        if total_swing > jitter * total_traction:
            self.efficiency = max(self.efficiency * 0.5, 0.05)
        elif self.speed < 1000:
            self.efficiency *= 1.3
        self.speed += min(target - self.speed, 0.5 * self.speed)
        return self.speed / (1.0 + np.sqrt(self.speed * swing))


def forceatlas2_layout(
    n: int, src: np.ndarray, dst: np.ndarray, options: LayoutOptions = LayoutOptions()
) -> np.ndarray:
    """Lay out ``n`` nodes linked by ``src[i] -- dst[i]`` and return an ``(n, 2)`` float array.

    Direction and repeated links are folded into one undirected edge whose weight is the number
    of links. The result is deterministic for a given ``options.seed``.

    >>> pos = forceatlas2_layout(4, np.array([0, 1, 2]), np.array([1, 2, 0]))
    >>> pos.shape, bool(np.isfinite(pos).all())
    ((4, 2), True)
    """
    if n == 0:
        return np.zeros((0, 2))
    rng = np.random.default_rng(options.seed)
    pos = rng.uniform(-1.0, 1.0, size=(n, 2)) * math.sqrt(n) * 10.0
    if n == 1:
        return pos * 0.0
    a, b, w = _undirected_pairs(n, np.asarray(src), np.asarray(dst))
    mass = 1.0 + np.bincount(a, minlength=n) + np.bincount(b, minlength=n)
    mesh = _Mesh(n)
    speed = _Speed(n, options.jitter_tolerance)
    previous = np.zeros_like(pos)
    for _ in range(options.iterations or _default_iterations(n)):
        force = _repulsion(pos, mass, mesh, options.scaling)
        force += _attraction(pos, a, b, w)
        norm = np.maximum(np.hypot(pos[:, 0], pos[:, 1]), 1e-9)
        force -= (options.gravity * mass / norm)[:, None] * pos
        pos = pos + force * speed.step(mass, force, previous)[:, None]
        previous = force
    return pos - pos.mean(axis=0)
