"""Stance of a sentence toward a claim: corroborates | contradicts | discusses | unrelated.

    from models.stance import StanceJudge
    judge = StanceJudge()                      # loads models/stance/artifact/ when present
    judge.judge(claim, sentences, similarities)  # -> [StanceVerdict(stance, score, reason), ...]

Modules: labels (the four stances), quantities and refutation (explicit detectors),
model (the trained cross-encoder, ONNX Runtime), judge (combines them), verdict (what
they answer), article_rule (one stance per article from its sentences' verdicts).
"""
from models.stance.judge import StanceJudge
from models.stance.labels import CONTRADICTS, CORROBORATES, DISCUSSES, LABELS, UNRELATED
from models.stance.verdict import StanceVerdict

__all__ = ["StanceJudge", "StanceVerdict", "CORROBORATES", "CONTRADICTS", "DISCUSSES", "UNRELATED", "LABELS"]
