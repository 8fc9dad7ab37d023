"""Where a request's time goes: seconds per named stage, sent as a Server-Timing header.

    stages = Stages()
    with stages("parse"):
        ...
    stages.header()  # 'parse;dur=12.3'
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Iterator, Optional


class Stages:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started

    def header(self) -> str:
        """The Server-Timing header value (durations in milliseconds)."""
        return ", ".join(f"{name};dur={seconds * 1000:.2f}" for name, seconds in self.seconds.items())


def stage(stages: Optional[Stages], name: str):
    """``with stage(stages, "parse"):`` times into ``stages`` when there is one."""
    return stages(name) if stages is not None else _untimed()


@contextmanager
def _untimed() -> Iterator[None]:
    yield


def parse_server_timing(value: str) -> dict[str, float]:
    """{'parse': 0.0123, ...} (seconds) from a Server-Timing header value."""
    out: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in value.split(","))):
        name, _, rest = part.partition(";")
        for param in rest.split(";"):
            key, _, number = param.strip().partition("=")
            if key == "dur":
                out[name.strip()] = out.get(name.strip(), 0.0) + float(number) / 1000
    return out
