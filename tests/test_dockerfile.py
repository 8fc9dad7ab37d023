"""The Dockerfile, checked as far as can be without a Docker engine here."""
from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def _instructions(name: str) -> list[str]:
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    return [line.split(None, 1)[1] for line in joined.splitlines() if line.startswith(name + " ")]


def test_dockerfile_copies_only_what_exists():
    for args in _instructions("COPY"):
        *sources, _destination = shlex.split(args)
        for source in sources:
            assert (ROOT / source).exists(), f"COPY {source}: not in the repository"


def test_dockerfile_copies_every_package_the_service_imports():
    copied = {s for args in _instructions("COPY") for s in shlex.split(args)[:-1]}
    for package in ("core", "service", "models", "index", "imports", "openapi.yaml", "pyproject.toml", "constraints.txt"):
        assert package in copied


def test_dockerfile_installs_pinned_cpu_torch_before_the_project():
    runs = _instructions("RUN")
    torch = next(i for i, r in enumerate(runs) if "torch==2.13.0" in r)
    project = next(i for i, r in enumerate(runs) if "-e ." in r)
    assert torch < project and "-c constraints.txt" in runs[torch]
    assert "torch==2.13.0" in (ROOT / "constraints.txt").read_text()


def test_dockerfile_runs_the_declared_console_script_offline():
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    command = shlex.split(_instructions("CMD")[0].replace('", "', '" "').strip("[]"))
    assert command[0] in scripts and command[1] == "serve"
    module = scripts[command[0]].split(":")[0]
    assert (ROOT / (module.replace(".", "/") + ".py")).exists()
    assert "HF_HUB_OFFLINE=1" in DOCKERFILE


def test_dockerfile_build_check_loads_the_models_that_ship_inside_packages():
    check = next(r for r in _instructions("RUN") if "load_encoder" in r)
    for name in ("load_encoder", "load_nlp", "StanceJudge"):
        assert name in check
