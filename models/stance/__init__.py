"""Stance of a sentence toward a claim: corroborates | contradicts | discusses | unrelated.

    from models.stance import StanceJudge
    judge = StanceJudge()                      # loads models/stance/artifact/ when present
    judge.judge(claim, sentences, similarities)  # -> [StanceVerdict(stance, score, reason), ...]

Modules: labels (the four stances), quantities and refutation (explicit detectors),
model (the trained cross-encoder, ONNX Runtime), judge (combines them).
"""
from models.stance.judge import StanceJudge, StanceVerdict
from models.stance.labels import CONTRADICTS, CORROBORATES, DISCUSSES, LABELS, UNRELATED

__all__ = ["StanceJudge", "StanceVerdict", "CORROBORATES", "CONTRADICTS", "DISCUSSES", "UNRELATED", "LABELS"]
