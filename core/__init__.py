"""Sayso's core: what the service does, with no HTTP in it.

The HTTP layer (``service/``), the command line and workers all call ``FactChecker``.
"""
from .checker import FactChecker, Filters
from .settings import Settings

__all__ = ["FactChecker", "Filters", "Settings"]
