"""Sayso's core: what the service does, with no HTTP in it.

The HTTP layer (``service/``), the command line and workers all call ``FactChecker``.
It is imported on first use, so that importing ``core.settings`` (as gunicorn's
settings module does, before it keeps torch out of the process) loads no models'
libraries.
"""
from .settings import Settings

__all__ = ["FactChecker", "Filters", "Settings"]


def __getattr__(name: str):
    if name in ("FactChecker", "Filters"):
        from . import checker

        return getattr(checker, name)
    raise AttributeError(f"module 'core' has no attribute {name!r}")
