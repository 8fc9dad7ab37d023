"""Errors raised by speaker attribution."""


class AttributionError(ValueError):
    """The input cannot be attributed, e.g. a paragraph that was never parsed."""
