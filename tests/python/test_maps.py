"""The US tile map of licsim.analysis."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from conftest import SCENARIO, licsim
from licsim import analysis


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_the_grid_places_every_jurisdiction_once():
    grid = analysis.US_TILE_GRID
    assert set(grid) == set(licsim.Scenario(SCENARIO).jurisdictions)
    assert len(set(grid.values())) == len(grid) == 51


def test_per_jurisdiction_of_a_dataset(metrics):
    values = analysis.per_jurisdiction(metrics, "unmet")
    expected = metrics["unmet"].sum("day").mean("replicate").to_series()
    pd.testing.assert_series_equal(values, expected, check_names=False)
    stock = analysis.per_jurisdiction(metrics, "authorizations_active")
    assert stock["CA"] == pytest.approx(float(metrics["authorizations_active"].isel(day=-1).sel(jurisdiction="CA").mean()))


def test_tile_map_colours_and_labels(metrics):
    ax = analysis.plot_tile_map(metrics, "unmet")
    assert len(ax.patches) == 51
    texts = {t.get_text() for t in ax.texts}
    assert {"CA", "TX", "DC", "AK", "HI"} <= texts
    assert ax.get_title() == "unmet"


def test_tile_map_of_a_series_with_gaps_and_a_centre():
    values = pd.Series({"CA": -1.0, "TX": 2.0, "NY": np.nan})
    ax = analysis.plot_tile_map(values, center=0, label="difference")
    grey = [p for p in ax.patches if p.get_facecolor()[:3] == pytest.approx((0.85, 0.85, 0.85))]
    assert len(grey) == 49  # every jurisdiction without a finite value
    assert ax.get_title() == "difference"


def test_per_jurisdiction_needs_a_jurisdiction_dimension(metrics):
    with pytest.raises(ValueError, match="jurisdiction"):
        analysis.per_jurisdiction(metrics["unmet"].sum("jurisdiction"))
