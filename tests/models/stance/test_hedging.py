"""The hedging detector: models/stance/hedging.py."""
from __future__ import annotations

from models.stance import hedging


def test_hedging_finds_the_hedge_as_written():
    assert hedging.find("The gunman was reportedly killed by police") == "reportedly"
    assert hedging.find("The video could not be independently verified.") == "could not be independently verified"
    assert hedging.find("The gunman was killed by police") is None


def test_hedging_cancels_when_the_claim_hedges_too():
    assert hedging.reports_without_vouching("The gunman was reportedly killed", "He was allegedly shot") is None
