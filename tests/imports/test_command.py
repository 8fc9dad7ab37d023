"""`sayso import`: Ctrl-C stops cleanly, the same command resumes, bad lines are
reported with their line numbers and make the exit non-zero."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter

from .harness import ROOT, short_articles, store_facts


def test_command_import_stops_on_ctrl_c_and_the_same_command_resumes(tmp_path):
    articles = short_articles(40, "resume")
    source = tmp_path / "archive.jsonl"
    lines = [json.dumps(a) for a in articles]
    lines.insert(3, '{"text": "no closing brace"')
    lines.insert(10, json.dumps({"title": "text is missing"}))
    source.write_text("\n".join(lines) + "\n")
    data_dir = tmp_path / "data"
    database_url = f"sqlite:///{data_dir / 'sayso.db'}"
    env = {k: v for k, v in os.environ.items() if k != "SAYSO_DATABASE_URL"}
    env["SAYSO_DATA_DIR"] = str(data_dir)
    failures = tmp_path / "failures.jsonl"
    command = [sys.executable, "-m", "service.cli", "import", str(source), "--direct", "--failures", str(failures)]

    first = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and first.poll() is None:
        try:
            if len(store_facts(database_url)["urls"]) >= 5:
                break
        except Exception:  # no tables yet
            pass
        time.sleep(0.2)
    first.send_signal(signal.SIGINT)
    output, _ = first.communicate(timeout=120)
    assert first.returncode == 130, output
    assert "run the same command again to resume" in output
    stored_first = len(store_facts(database_url)["urls"])
    assert 5 <= stored_first < len(articles)

    second = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert second.returncode == 1, second.stdout + second.stderr  # two bad lines
    summary = next(line for line in second.stdout.splitlines() if line.startswith("imported:"))
    counts = dict(part.split("=") for part in summary.split(" in ")[0].split()[1:])
    assert int(counts["existing"]) == stored_first
    assert int(counts["new"]) == len(articles) - stored_first and int(counts["failed"]) == 2
    reported = [json.loads(line) for line in failures.read_text().splitlines()]
    assert [f["location"] for f in reported] == ["archive.jsonl:4", "archive.jsonl:11"]
    assert reported[0]["reason"].startswith("invalid JSON") and reported[1]["reason"].startswith("text:")
    stored = Counter(store_facts(database_url)["urls"])
    assert set(stored) == {a["url"] for a in articles} and set(stored.values()) == {1}


def test_command_import_of_a_missing_source_is_a_usage_error(tmp_path):
    result = subprocess.run([sys.executable, "-m", "service.cli", "import", str(tmp_path / "none.jsonl"), "--direct"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "does not exist" in result.stderr
