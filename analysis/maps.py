"""A US tile map: one equal square per jurisdiction on a fixed grid, coloured by a value."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xarray as xr

from .tables import refuse_series, totals

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: (row, column) of each of the 50 states and DC on the tile grid: row 0 at the top, column 0
#: at the west. Fixed, so that maps of different metrics and runs line up.
US_TILE_GRID: dict[str, tuple[int, int]] = {
    "AK": (0, 0), "ME": (0, 10),
    "WI": (1, 5), "VT": (1, 9), "NH": (1, 10),
    "WA": (2, 0), "ID": (2, 1), "MT": (2, 2), "ND": (2, 3), "MN": (2, 4), "IL": (2, 5), "MI": (2, 6),
    "NY": (2, 8), "MA": (2, 9),
    "OR": (3, 0), "NV": (3, 1), "WY": (3, 2), "SD": (3, 3), "IA": (3, 4), "IN": (3, 5), "OH": (3, 6),
    "PA": (3, 7), "NJ": (3, 8), "CT": (3, 9), "RI": (3, 10),
    "CA": (4, 0), "UT": (4, 1), "CO": (4, 2), "NE": (4, 3), "MO": (4, 4), "KY": (4, 5), "WV": (4, 6),
    "VA": (4, 7), "MD": (4, 8), "DE": (4, 9),
    "AZ": (5, 1), "NM": (5, 2), "KS": (5, 3), "AR": (5, 4), "TN": (5, 5), "NC": (5, 6), "SC": (5, 7),
    "DC": (5, 8),
    "OK": (6, 3), "LA": (6, 4), "MS": (6, 5), "AL": (6, 6), "GA": (6, 7),
    "HI": (7, 0), "TX": (7, 3), "FL": (7, 8),
}


def per_jurisdiction(data: Any, variable: str | None = None) -> pd.Series:
    """One value per jurisdiction, as a Series indexed by USPS code.

    ``data`` is a Series (returned as it is), a DataArray with a ``jurisdiction`` dimension
    (other dimensions are averaged, but a sweep's ``point`` or a ``run``: ValueError), or a metrics Dataset / :class:`licsim.Result` / result
    path with ``variable``: its per-jurisdiction total (:func:`licsim.analysis.totals`: sums,
    end-of-run stocks, served-weighted waits), mean over replicates.
    """
    if isinstance(data, pd.Series):
        return data
    if isinstance(data, xr.DataArray):
        da = data
    else:
        from .results import as_dataset

        ds = as_dataset(data)
        if variable is None:
            raise ValueError("per_jurisdiction: name the variable of the Dataset to map")
        keep = [d for d in ("replicate", "jurisdiction") if d in ds[variable].dims]
        da = totals(ds, keep=keep, variables=variable)[variable]
    refuse_series(da, "per_jurisdiction")  # its other dimensions are averaged
    if "jurisdiction" not in da.dims:
        raise ValueError(f"per_jurisdiction: no 'jurisdiction' dimension (dims: {', '.join(map(str, da.dims))})")
    other = [d for d in da.dims if d != "jurisdiction"]
    if other:
        da = da.mean(other)
    return da.to_series().rename(variable or da.name)


def plot_tile_map(
    data: Any,
    variable: str | None = None,
    *,
    ax: "Axes | None" = None,
    cmap: str = "viridis",
    title: str | None = None,
    label: str | None = None,
    fmt: str = "{:.3g}",
    vmin: float | None = None,
    vmax: float | None = None,
    center: float | None = None,
) -> "Axes":
    """A US tile map of any per-state value (:data:`US_TILE_GRID` layout).

    ``data`` and ``variable`` as in :func:`per_jurisdiction` (e.g. a metrics Dataset and
    ``"unmet"``, or a Series of shares or differences indexed by jurisdiction). Each tile shows
    the code and the value; jurisdictions without a value are grey. With ``center`` (e.g. 0
    for differences) a diverging colour scale symmetric about it is used. Returns the Axes.
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import Normalize, TwoSlopeNorm
    from matplotlib.patches import Rectangle

    values = per_jurisdiction(data, variable)
    finite = values[np.isfinite(values.to_numpy(dtype=float))]
    lo = float(finite.min()) if vmin is None and len(finite) else (vmin if vmin is not None else 0.0)
    hi = float(finite.max()) if vmax is None and len(finite) else (vmax if vmax is not None else 1.0)
    if center is not None:
        span = max(abs(hi - center), abs(center - lo)) or 1.0
        norm = TwoSlopeNorm(vcenter=center, vmin=center - span, vmax=center + span)
        cmap = cmap if cmap != "viridis" else "RdBu_r"
    else:
        norm = Normalize(vmin=lo, vmax=hi if hi > lo else lo + 1.0)
    colormap = plt.get_cmap(cmap)
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 6), layout="constrained")
    for code, (row, col) in US_TILE_GRID.items():
        value = float(values.get(code, np.nan))
        colour = colormap(norm(value)) if np.isfinite(value) else (0.85, 0.85, 0.85, 1.0)
        ax.add_patch(Rectangle((col, -row), 0.94, -0.94, facecolor=colour, edgecolor="white"))
        dark = np.isfinite(value) and sum(colour[:3]) < 1.5
        ax.text(col + 0.47, -row - 0.36, code, ha="center", va="center", fontsize=9, weight="bold",
                color="white" if dark else "black")
        if np.isfinite(value):
            ax.text(col + 0.47, -row - 0.68, fmt.format(value), ha="center", va="center", fontsize=6.5,
                    color="white" if dark else "black")
    rows = max(r for r, _ in US_TILE_GRID.values()) + 1
    cols = max(c for _, c in US_TILE_GRID.values()) + 1
    ax.set_xlim(-0.1, cols + 0.1)
    ax.set_ylim(-rows - 0.1, 0.1)
    ax.set_aspect("equal")
    ax.axis("off")
    mappable = plt.cm.ScalarMappable(norm=norm, cmap=colormap)
    name = label if label is not None else str(values.name or variable or "")
    ax.figure.colorbar(mappable, ax=ax, shrink=0.6, label=name.replace("_", " "))
    ax.set_title(title if title is not None else name.replace("_", " "), fontsize="medium")
    return ax
