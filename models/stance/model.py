"""The trained stance cross-encoder, run with ONNX Runtime (placeholder until trained)."""
from __future__ import annotations

from pathlib import Path


class StanceModel:
    @staticmethod
    def available(directory: Path) -> bool:
        return (Path(directory) / "model.onnx").exists()
