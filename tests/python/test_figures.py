"""Standard figures and the flow table of licsim.analysis on small real runs."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from conftest import SCENARIO, licsim
from licsim import analysis


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def runs():
    settings = dict(seed=3, replicates=2, days=61, scale=0.0003, progress=False)
    return {
        "state only": licsim.run(SCENARIO, **settings),
        "national license": licsim.run(licsim.scenario_path("national_license"), **settings),
    }


def test_plot_outcomes_one_run(runs):
    fig = analysis.plot_outcomes(runs["state only"])
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in axes] == [title for title, _ in analysis.OUTCOME_PANELS]
    assert {v for _, v in analysis.OUTCOME_PANELS} <= set(runs["state only"].to_xarray().data_vars)
    # the first panel's line is the 7-day mean of the national daily total, mean over replicates
    unmet = runs["state only"].metric("unmet").sum(axis=2)
    expected = np.convolve(unmet.mean(axis=0), np.ones(7) / 7, mode="valid")
    np.testing.assert_allclose(axes[0].lines[0].get_ydata()[6:], expected)


def test_plot_outcomes_compares_runs(runs):
    fig = analysis.plot_outcomes(runs, panels=[("Access", "unmet"), ("Harm", "adverse_events"), ("Cost", "patient_cost_usd")],
                                 rolling=None)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 3
    assert [line.get_label() for line in visible[0].lines] == list(runs)
    assert fig.legends and [t.get_text() for t in fig.legends[0].get_texts()] == list(runs)


def test_flow_table(runs):
    flows = runs["national license"].to_xarray("flows")
    table = analysis.flow_table(flows)
    assert list(table.columns) == ["patient_location", "clinician_location", "encounters", "share"]
    assert (table["patient_location"] != table["clinician_location"]).all()
    assert table["encounters"].is_monotonic_decreasing
    assert table["share"].sum() == pytest.approx(1.0)
    top = table.iloc[0]
    expected = flows["encounters"].sel(modality="telehealth", patient_location=top.patient_location,
                                       clinician_location=top.clinician_location).sum("month").mean("replicate")
    assert top.encounters == pytest.approx(float(expected))
    us = analysis.flow_table(flows, None, us_only=True)
    assert us["patient_location"].str.len().eq(2).all() and us["clinician_location"].str.len().eq(2).all()


def test_plot_flows(runs):
    ax = analysis.plot_flows(runs["national license"].to_xarray("flows"), top=8)
    image = ax.images[0].get_array()
    assert image.shape == (8, 8)
    assert np.ma.getmaskarray(image).diagonal().all()  # same-state cells are blank
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == [t.get_text() for t in ax.get_yticklabels()] and len(labels) == 8
