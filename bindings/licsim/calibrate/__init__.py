"""Calibration of a scenario against published targets (``scenarios/calibration/targets.toml``).

A target names a metric computed from a run (:data:`METRICS`, each defined in terms of the
output variables of docs/output.md), a published value and a band ``[lower, upper]``; every
metric is computed over an evaluation window (calendar dates) so that a warm-up can precede it.

:func:`evaluate` runs a scenario with a fixed seed and reports each target: the model value
(mean over replicates, with a 2.5-97.5% interval), the published value, the band, and whether
the mean is inside it. :func:`calibrate` fits chosen scenario keys to the targets that have a
positive weight: it minimises the weighted sum of squared standardized residuals

    sum_t  w_t * (z_t ** 2 + 10 * o_t ** 2),   z_t = (model_t - published_t) / halfwidth_t,
                                               o_t = (distance of model_t outside [lower_t, upper_t]) / halfwidth_t,

with halfwidth_t = (upper_t - lower_t) / 2 (the published value is preferred, the band is
required: a published value may sit on an edge of its band, as "under 1%" does), using :func:`scipy.optimize.minimize` (bounded Nelder-Mead, a derivative-free simplex method)
over the keys rescaled to [0, 1]. Every evaluation uses the same seed and replicates (common
random numbers), so the objective is a deterministic function of the parameters and the
simplex compares like with like. :meth:`Calibration.write_scenario` writes the calibrated
scenario (``base = ...`` plus the fitted values, with a header saying how it was produced).

Command line::

    python -m licsim.calibrate scenarios/calibration/us_2019_prior.toml \\
        --param licensing.response=0.0:1.0 --out scenarios/us_2019.toml --report report.csv
"""

from __future__ import annotations

from .cli import main
from .fit import OUTSIDE_BAND_PENALTY, REPORT_COLUMNS, Calibration, calibrate, evaluate, objective, report
from .metrics import (
    METRICS,
    Window,
    compact_licenses_issued_per_year,
    days_to_compact_license,
    days_to_full_license,
    indemnity_per_claim,
    license_stock_change_per_year,
    licenses_per_physician,
    medicare_cross_state_share_of_telehealth,
    medicare_cross_state_telehealth_share_of_visits,
    medicare_primary_care_telehealth_share,
    new_patient_wait_days,
    telehealth_share_of_visits,
)
from .targets import TARGETS_FILE, Target, Targets, load_targets

__all__ = [
    "METRICS", "OUTSIDE_BAND_PENALTY", "REPORT_COLUMNS", "TARGETS_FILE", "Calibration", "Target", "Targets",
    "Window", "calibrate", "evaluate", "load_targets", "main", "objective", "report",
    "compact_licenses_issued_per_year", "days_to_compact_license", "days_to_full_license", "indemnity_per_claim",
    "license_stock_change_per_year", "licenses_per_physician", "medicare_cross_state_share_of_telehealth",
    "medicare_cross_state_telehealth_share_of_visits", "medicare_primary_care_telehealth_share",
    "new_patient_wait_days", "telehealth_share_of_visits",
]
