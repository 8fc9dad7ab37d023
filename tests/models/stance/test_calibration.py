"""models/stance/calibration.py."""
from __future__ import annotations

import pytest


def test_calibration_error_is_zero_when_scores_match_accuracy_and_large_when_not():
    from models.stance.calibration import expected_calibration_error

    assert expected_calibration_error([0.75] * 4, [True, True, True, False]) == pytest.approx(0.0)
    assert expected_calibration_error([0.95] * 4, [False] * 4) == pytest.approx(0.95)
