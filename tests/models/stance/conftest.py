"""The stance judge as the service builds it (and without its model), and the
detectors' parser: the real models, loaded once per session."""
from __future__ import annotations

import pytest

from models.stance import StanceJudge


@pytest.fixture(scope="session", params=["model", "rules"])
def judge(request):
    """The judge as the service builds it, and the detectors + similarity fallback alone."""
    if request.param == "rules":
        return StanceJudge(use_model=False, nlp=request.getfixturevalue("nlp"))
    return StanceJudge(request.getfixturevalue("stance_dir"), nlp=request.getfixturevalue("nlp"))


@pytest.fixture(scope="session")
def parser(nlp):
    from models.stance.parsing import Parser

    return Parser(nlp)


@pytest.fixture(scope="session")
def check(judge, encoder):
    """judge.judge with the similarities the service computes (conftest's MiniLM encoder)."""
    def run(claim: str, sentences: list[str]):
        vectors = encoder.encode([claim, *sentences])
        similarities = [float(vectors[0] @ v) for v in vectors[1:]]
        return judge.judge(claim, sentences, similarities)

    return run
