"""Speaker attribution: who says each sentence of an article.

    from models.attribution import SpeakerAttributor
    speakers = SpeakerAttributor().attribute(paragraphs, outlet="AFP")
"""
from models.attribution.attributor import SpeakerAttributor
from models.attribution.errors import AttributionError

__all__ = ["SpeakerAttributor", "AttributionError"]
