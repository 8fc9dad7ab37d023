"""Sayso end to end: ingestion throughput, check latency, recall and load, in one run.

    .venv/bin/python benchmarks/perf.py                       # 10k, 100k and 1M sentences
    .venv/bin/python benchmarks/perf.py --sizes 10000 --articles 40 --load-seconds 5   # a quick look

What it does, against a real `sayso serve` (gunicorn, production settings, 2 workers,
SQLite in a fresh data directory under /tmp, loopback only):

1. Ingestion: POSTs FNC-1 and PolNeAR article bodies (``--articles`` of each, from
   ``<repo>/../shared/data``) with as many client threads as workers; articles/s and
   sentences/s, and the time per stage from each response's Server-Timing header. On
   that real corpus, checks of the headlines of the ingested FNC-1 bodies that are on
   their topic (up to 100, ``limit`` 10): what an editor waits for over an on-topic
   archive, where most candidates go through the stance stage. Then,
   in this process, ``SentenceTransformer.encode`` (batch 64) on the same sentences: the
   raw encoder throughput (the torch model, as in earlier runs, though the service now
   runs the ONNX encoder). The ratio of the two is the figure that counts. Then the time
   to embed one claim (p50, one thread) with the service's encoder and with torch, and
   recall@10 of exact search over the ingested claim sentences as the service embedded
   them against exact search with torch (fp32) embeddings of the same sentences and
   claims.
2. For each size in ``--sizes``: the store is grown to that many indexed sentences
   through ``CorpusStore.add_article`` (the real write path), from the ingested claim
   embeddings plus small random perturbations (cosine about 0.9 to the original) and
   their texts; the index cache file is built; the service is restarted on it. Then
   - check latency p50/p95/p99 over HTTP (one client, FNC-1 headlines as claims), with
     the server's stages, next to the raw cost of one query embedding (the service's
     encoder) plus one exact FAISS search (k=40, one thread) in this process;
   - recall@10 of the index kind the service uses against exact search, same claims;
   - load: ``--clients`` threads posting checks for ``--load-seconds``: requests/s,
     p99, errors; resident memory (RSS, and PSS, which shares shared pages out) per worker.

It prints one table with the machine's facts on top and writes it as JSON to
``benchmarks/out/``. The machine is shared and noisy: compare ratios from one run.

Sample output (baseline: exact flat index at every size; 2-core VM shared with two
model trainings, load average ~6; 705 s):

    when=2026-11-21T13:21:49+00:00 commit=fd0fec5 cpu=AMD EPYC cores=2 memory_gib=23.5 load_average=[7.55, 7.31, 5.22] python=3.11.7 torch=2.13.0+cpu faiss=1.15.1 onnxruntime=1.31.1 sentence_transformers=6.2.0
    measure                                    | value                                                                                        | target          | met
    -------------------------------------------+----------------------------------------------------------------------------------------------+-----------------+----
    ingest articles/s (HTTP)                   | 0.91                                                                                         |                 |
    ingest sentences/s (HTTP)                  | 22.4                                                                                         |                 |
    raw encoder sentences/s (batch 64)         | 50.5                                                                                         |                 |
    ingest / raw encoder                       | 0.44                                                                                         | >= 0.6          | NO
    ingest errors                              | 0                                                                                            | 0               | yes
    ingest stage shares                        | lookup=0.00 clean=0.00 topic=0.45 parse=0.13 attribute=0.01 embed=0.39 store=0.02 index=0.00 |                 |
    index @10,000                              | flat size=10,000                                                                             |                 |
    check p50/p95/p99 ms @10,000               | 64.1 / 144.0 / 215.0                                                                         |                 |
    check server p50 ms by stage @10,000       | embed=23.0 search=1.7 store=2.5 stance=23.1 context=2.8                                      |                 |
    raw embed + exact search p50 ms @10,000    | 16.9 (15.9 + 0.6)                                                                            |                 |
    recall@10 vs exact @10,000                 | 1.0                                                                                          | >= 0.95         | yes
    load 8 clients req/s, p99 ms @10,000       | 34.8, 445.7                                                                                  |                 |
    load errors @10,000                        | 0                                                                                            | 0               | yes
    worker RSS / PSS MiB (max) @10,000         | 681 / 515                                                                                    |                 |
    index @100,000                             | flat size=100,000                                                                            |                 |
    check p50/p95/p99 ms @100,000              | 81.3 / 150.9 / 200.6                                                                         |                 |
    check server p50 ms by stage @100,000      | embed=25.5 search=14.5 store=6.8 stance=19.9 context=6.6                                     |                 |
    raw embed + exact search p50 ms @100,000   | 37.5 (25.9 + 9.4)                                                                            |                 |
    recall@10 vs exact @100,000                | 1.0                                                                                          | >= 0.95         | yes
    load 8 clients req/s, p99 ms @100,000      | 14.0, 801.3                                                                                  |                 |
    load errors @100,000                       | 0                                                                                            | 0               | yes
    worker RSS / PSS MiB (max) @100,000        | 807 / 628                                                                                    |                 |
    index @1,000,000                           | flat size=1,000,000                                                                          |                 |
    check p50/p95/p99 ms @1,000,000            | 158.9 / 217.6 / 310.8                                                                        | <= 60 / - / 200 | NO
    check server p50 ms by stage @1,000,000    | embed=24.0 search=104.8 store=8.0 stance=7.4 context=7.1                                     |                 |
    raw embed + exact search p50 ms @1,000,000 | 95.4 (17.3 + 76.8)                                                                           |                 |
    recall@10 vs exact @1,000,000              | 1.0                                                                                          | >= 0.95         | yes
    load 8 clients req/s, p99 ms @1,000,000    | 8.5, 1268.0                                                                                  |                 |
    load errors @1,000,000                     | 0                                                                                            | 0               | yes
    worker RSS / PSS MiB (max) @1,000,000      | 2168 / 2014                                                                                  | <= 1536         | NO
"""
from __future__ import annotations

import argparse
import csv
import http.client
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "benchmarks" / "out"
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from models.timing import parse_server_timing  # noqa: E402

INGEST_STAGES = ["lookup", "clean", "topic", "parse", "attribute", "embed", "checkworthiness", "store", "index"]
CHECK_STAGES = ["embed", "search", "store", "stance", "context"]
PERTURBATION = 0.5  # norm of the noise added to a unit vector: cosine ~0.89 to the original
SYNTHETIC_SENTENCES_PER_ARTICLE = 100


# -- machine ------------------------------------------------------------------------
def machine_facts() -> dict:
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = 0
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                memory = int(line.split()[1]) * 1024
    except OSError:
        pass
    import faiss
    import onnxruntime
    import sentence_transformers
    import torch

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    return {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "commit": commit,
        "cpu": cpu,
        "cores": len(os.sched_getaffinity(0)),
        "memory_gib": round(memory / 2**30, 1),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "torch": torch.__version__,
        "faiss": faiss.__version__,
        "onnxruntime": onnxruntime.__version__,
        "sentence_transformers": sentence_transformers.__version__,
    }


# -- corpus -------------------------------------------------------------------------
def read_articles(per_corpus: int) -> list[dict]:
    csv.field_size_limit(10**9)
    with open(DATA / "fnc-1" / "train_bodies.csv", newline="", encoding="utf-8") as f:
        fnc = [{"text": row["articleBody"], "url": f"https://fnc1.test/{row['Body ID']}", "outlet": "FNC-1"}
               for row in csv.DictReader(f)]
    polnear = [{"text": p.read_text(encoding="utf-8"), "url": f"https://polnear.test/{p.stem}", "outlet": "PolNeAR"}
               for p in sorted((DATA / "polnear" / "train" / "text").glob("*.txt"))]
    return fnc[:per_corpus] + polnear[:per_corpus]


def read_draft_lines(skip: int, n: int) -> list[str]:
    """Sentences of FNC-1 bodies that are not ingested (past the first ``skip``), one a
    line: the stuff of drafts."""
    csv.field_size_limit(10**9)
    with open(DATA / "fnc-1" / "train_bodies.csv", newline="", encoding="utf-8") as f:
        bodies = [row["articleBody"] for row in csv.DictReader(f)][skip:]
    lines = []
    for body in bodies:
        for sentence in re.split(r"(?<=[.!?])\s+", body):
            sentence = sentence.strip()
            if 60 <= len(sentence) <= 300 and "\n" not in sentence:
                lines.append(sentence)
            if len(lines) >= n:
                return lines
    return lines


def read_own_headlines(articles: list[dict], n: int) -> list[str]:
    """Headlines of FNC-1 pairs whose body is among ``articles`` and is on the headline's
    topic (agree, disagree, discuss): claims the corpus has real, on-topic evidence for."""
    ingested = {a["url"].rsplit("/", 1)[1] for a in articles if a["url"].startswith("https://fnc1.test/")}
    with open(DATA / "fnc-1" / "train_stances.csv", newline="", encoding="utf-8") as f:
        headlines = sorted({row["Headline"] for row in csv.DictReader(f)
                            if row["Body ID"] in ingested and row["Stance"] != "unrelated"})
    random.Random(5).shuffle(headlines)
    return headlines[:n]


def read_claims(n: int) -> list[str]:
    with open(DATA / "fnc-1" / "train_stances.csv", newline="", encoding="utf-8") as f:
        headlines = sorted({row["Headline"] for row in csv.DictReader(f)})
    random.Random(5).shuffle(headlines)
    return headlines[:n]


# -- the service --------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`sayso serve` with the production gunicorn settings, on loopback."""

    def __init__(self, data_dir: Path, workers: int, extra_env: dict | None = None):
        self.port = free_port()
        # No rate limits: the benchmark measures the service, not its per-client budget.
        no_limits = "check=off,read=off,ingest=off,feedback=off,admin=off"
        env = {**os.environ, "SAYSO_DATA_DIR": str(data_dir), "SAYSO_RATE_LIMITS": no_limits, **(extra_env or {})}
        self.log_path = data_dir.parent / f"gunicorn-{self.port}.log"
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "service.cli", "serve", "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers)],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.workers = workers
        self.wait_ready()

    def wait_ready(self, seconds: float = 900) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: see {self.log_path}")
            try:
                # Every worker must be up: ask a few times, the master spreads connections.
                if len(self.worker_pids()) == self.workers and all(
                    self.call("GET", "/v1/health")[0] == 200 for _ in range(2 * self.workers)
                ):
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise TimeoutError("gunicorn did not become ready")

    def call(self, method: str, path: str, body=None, timeout: float = 300) -> tuple[int, dict, dict]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            data = json.dumps(body).encode() if body is not None else None
            headers = {"Content-Type": "application/json"} if data is not None else {}
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            raw = response.read()
            timing = parse_server_timing(response.getheader("Server-Timing") or "")
            return response.status, (json.loads(raw) if raw else {}), timing
        finally:
            connection.close()

    def worker_pids(self) -> list[int]:
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        except OSError:
            return []
        return [int(c) for c in children]

    def memory(self) -> list[dict]:
        """Per worker: RSS and PSS (shared pages divided among the processes sharing them), MiB."""
        out = []
        for pid in self.worker_pids():
            fields = {}
            try:
                for line in open(f"/proc/{pid}/smaps_rollup"):
                    parts = line.split()
                    if parts[0] in ("Rss:", "Pss:"):
                        fields[parts[0][:-1].lower()] = int(parts[1]) / 1024
            except OSError:
                continue
            out.append({"pid": pid, "rss_mib": round(fields.get("rss", 0)), "pss_mib": round(fields.get("pss", 0))})
        return out

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def percentiles(values: list[float]) -> dict:
    if not values:
        return {"p50_ms": None, "p95_ms": None, "p99_ms": None}
    a = np.asarray(values) * 1000
    return {f"p{q}_ms": round(float(np.percentile(a, q)), 1) for q in (50, 95, 99)}


# -- 1. ingestion -------------------------------------------------------------------
def ingest(server: Server, articles: list[dict], clients: int) -> dict:
    stages: dict[str, float] = {}
    sentences: list[str] = []
    claims = errors = 0
    lock = threading.Lock()

    def post(article):
        nonlocal claims, errors
        status, body, timing = server.call("POST", "/v1/articles", article)
        with lock:
            if status not in (200, 201):
                errors += 1
                return
            for name, seconds in timing.items():
                stages[name] = stages.get(name, 0.0) + seconds
            sentences.extend(s["text"] for s in body["sentences"])
            claims += sum(s["is_claim"] for s in body["sentences"])

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(post, articles))
    wall = time.perf_counter() - started
    busy = sum(stages.values())
    return {
        "articles": len(articles),
        "sentences": len(sentences),
        "claims": claims,
        "errors": errors,
        "seconds": round(wall, 1),
        "articles_per_s": round(len(articles) / wall, 2),
        "sentences_per_s": round(len(sentences) / wall, 1),
        # Share of the workers' busy time per stage (sums to 1 over the stages timed).
        "stage_share": {name: round(stages.get(name, 0.0) / busy, 3) for name in INGEST_STAGES},
        "stage_seconds": {name: round(stages.get(name, 0.0), 1) for name in INGEST_STAGES},
        "_texts": sentences,
    }


def raw_encoder(model, texts: list[str]) -> dict:
    model.encode(texts[:64], batch_size=64)  # warm up
    started = time.perf_counter()
    model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
    wall = time.perf_counter() - started
    return {"sentences": len(texts), "seconds": round(wall, 1), "sentences_per_s": round(len(texts) / wall, 1)}


# -- 2. grow the store --------------------------------------------------------------
def grow(store, base_ids: np.ndarray, base_vectors: np.ndarray, base_texts: dict, target: int, rng) -> dict:
    """Add synthetic articles through the store's own write path until ``target`` indexed sentences."""
    from models.article import ReadArticle, Sentence

    have = store.counts()["claims"]
    started, made = time.perf_counter(), 0
    while have < target:
        n = min(SYNTHETIC_SENTENCES_PER_ARTICLE, target - have)
        picks = rng.integers(0, len(base_ids), n)
        noise = rng.normal(size=(n, base_vectors.shape[1])).astype("float32")
        noise *= PERTURBATION / np.linalg.norm(noise, axis=1, keepdims=True)
        vectors = base_vectors[picks] + noise
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        sentences, parts, offset = [], [], 0
        for i in picks:
            text = base_texts[int(base_ids[i])]
            sentences.append(Sentence(text, offset, offset + len(text), is_claim=True))
            parts.append(text)
            offset += len(text) + 1
        text = " ".join(parts)
        fields = {"text": text, "url": f"https://synthetic.test/{have}", "outlet": "synthetic"}
        store.add_article(fields, ReadArticle(text, sentences=sentences), dict(enumerate(vectors)))
        have += n
        made += n
    wall = time.perf_counter() - started
    return {"added": made, "seconds": round(wall, 1), "rows_per_s": round(made / wall) if made else None}


def exact_index(store):
    import faiss

    seq, batches = store.snapshot()
    ids, parts = [], []
    for batch_ids, matrix in batches:
        ids.append(batch_ids)
        parts.append(matrix)
    matrix = np.concatenate(parts)
    index = faiss.IndexFlatIP(matrix.shape[1])
    index.add(matrix)
    return np.concatenate(ids), index


# -- 3. checks ----------------------------------------------------------------------
def latency(server: Server, claims: list[str], n: int, limit: int | None = None) -> dict:
    times, stages, errors = [], {}, 0
    body = {} if limit is None else {"limit": limit}
    for claim in claims[:5]:
        server.call("POST", "/v1/check", {"claim": claim, **body})  # warm up both workers
    for i in range(n):
        claim = claims[i % len(claims)]
        started = time.perf_counter()
        status, _, timing = server.call("POST", "/v1/check", {"claim": claim, **body})
        times.append(time.perf_counter() - started)
        if status != 200:
            errors += 1
        for name, seconds in timing.items():
            stages.setdefault(name, []).append(seconds)
    return {
        "requests": n,
        "errors": errors,
        **percentiles(times),
        "server_p50_ms": {name: round(float(np.median(v)) * 1000, 1) for name, v in stages.items()},
        "server_p95_ms": {name: round(float(np.percentile(v, 95)) * 1000, 1) for name, v in stages.items()},
    }


def raw_query(encoder, index, claims: list[str], k: int = 40) -> dict:
    """One query embedding (the service's encoder, one thread) plus one exact FAISS
    search (one thread), as a worker would."""
    import faiss

    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        embed, search = [], []
        for claim in claims:
            started = time.perf_counter()
            query = encoder.encode([claim])
            embed.append(time.perf_counter() - started)
            started = time.perf_counter()
            index.search(np.ascontiguousarray(query, "float32"), k)
            search.append(time.perf_counter() - started)
    finally:
        faiss.omp_set_num_threads(threads)
    return {
        "embed_p50_ms": round(float(np.median(embed)) * 1000, 1),
        "exact_search_p50_ms": round(float(np.median(search)) * 1000, 1),
        "total_p50_ms": round(float(np.median(np.add(embed, search))) * 1000, 1),
    }


def query_embedding(encoder, torch_model, claims: list[str]) -> dict:
    """p50 ms of one claim's embedding, one thread: the service's encoder and the torch
    model, claim by claim in turns (so the machine's load falls on both alike)."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    times = {"service": [], "torch": []}
    try:
        for claim in claims:
            for name, embed in (("service", lambda: encoder.encode([claim])),
                                ("torch", lambda: torch_model.encode([claim], normalize_embeddings=True))):
                started = time.perf_counter()
                embed()
                times[name].append(time.perf_counter() - started)
    finally:
        torch.set_num_threads(threads)
    p50 = {name: round(float(np.median(v)) * 1000, 2) for name, v in times.items()}
    return {"service_p50_ms": p50["service"], "torch_p50_ms": p50["torch"],
            "torch_over_service": round(p50["torch"] / p50["service"], 2)}


def encoder_recall(stored: np.ndarray, texts: list[str], queries: np.ndarray,
                   torch_model, claims: list[str]) -> float:
    """recall@10 of exact search over the claim sentences as the service embedded them
    (``stored``, queried with ``queries``) against exact search with the fp32 torch
    model's embeddings of the same sentences and claims."""
    truth_corpus = torch_model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
    truth_queries = torch_model.encode(claims, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
    found = np.argsort(-(queries @ stored.T), axis=1)[:, :10]
    truth = np.argsort(-(truth_queries @ truth_corpus.T), axis=1)[:, :10]
    return round(float(np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth)])), 4)


def recall_at_10(live, exact_ids, exact, queries: np.ndarray) -> float:
    _, truth = exact.search(queries, 10)
    hits = 0
    for query, row in zip(queries, truth):
        found = {i for i, _ in live.search(query, 10)}
        hits += len(found & {int(exact_ids[j]) for j in row if j >= 0})
    return round(hits / (10 * len(queries)), 4)


def drafts(server: Server, lines: list[str], n: int, claims_per_draft: int = 40, limit: int = 5) -> dict:
    """``n`` drafts of ``claims_per_draft`` claim sentences each: one POST /v1/check/draft
    against the same claims as that many POST /v1/check calls, one after the other.
    Whichever runs second finds the stance detectors' parses of those claims and their
    candidates cached by the first, so the order alternates: the draft first for even
    drafts, the single checks first for odd ones."""
    claim_lines = []
    for start in range(0, len(lines), claims_per_draft):  # which lines read as claims
        status, body, _ = server.call("POST", "/v1/check/draft",
                                      {"text": "\n".join(lines[start:start + claims_per_draft]), "limit": 1})
        if status != 200:
            raise RuntimeError(f"draft check answered {status}: {body}")
        claim_lines += [c["text"] for c in body["claims"]]
        if len(claim_lines) >= n * claims_per_draft:
            break
    draft_times, single_times, stages, errors, counted = [], [], {}, 0, []

    def draft(chunk):
        nonlocal errors
        started = time.perf_counter()
        status, body, timing = server.call("POST", "/v1/check/draft", {"text": "\n".join(chunk), "limit": limit})
        draft_times.append(time.perf_counter() - started)
        errors += status != 200
        counted.append(len(body.get("claims", [])))
        for name, seconds in timing.items():
            stages.setdefault(name, []).append(seconds)

    def singles(chunk):
        nonlocal errors
        started = time.perf_counter()
        for claim in chunk:
            status, _, _ = server.call("POST", "/v1/check", {"claim": claim, "limit": limit})
            errors += status != 200
        single_times.append(time.perf_counter() - started)

    for i in range(n):
        chunk = claim_lines[i * claims_per_draft:(i + 1) * claims_per_draft]
        if len(chunk) < claims_per_draft:
            break
        for run in ((draft, singles) if i % 2 == 0 else (singles, draft)):
            run(chunk)
    return {
        "drafts": len(draft_times),
        "claims_per_draft": int(np.median(counted)) if counted else 0,
        "errors": errors,
        "draft": percentiles(draft_times),
        "singles": percentiles(single_times),
        "draft_server_p50_ms": {name: round(float(np.median(v)) * 1000, 1) for name, v in stages.items()},
    }


def load(server: Server, claims: list[str], clients: int, seconds: float) -> dict:
    times, errors = [], 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(seed):
        nonlocal errors
        rng = random.Random(seed)
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                status = server.call("POST", "/v1/check", {"claim": rng.choice(claims)}, timeout=60)[0]
            except OSError:
                status = 0
            with lock:
                times.append(time.perf_counter() - started)
                errors += status != 200

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    return {"clients": clients, "requests": len(times), "errors": errors,
            "requests_per_s": round(len(times) / wall, 1), **percentiles(times)}


# -- the table ----------------------------------------------------------------------
def table(result: dict) -> str:
    rows = []

    def row(measure, value, target="", met=None):
        rows.append((measure, str(value), target, "" if met is None else ("yes" if met else "NO")))

    i, raw = result["ingestion"], result["raw_encoder"]
    ratio = round(i["sentences_per_s"] / raw["sentences_per_s"], 2)
    row("ingest articles/s (HTTP)", i["articles_per_s"])
    row("ingest sentences/s (HTTP)", i["sentences_per_s"])
    row("raw encoder sentences/s (batch 64)", raw["sentences_per_s"])
    row("ingest / raw encoder", ratio, ">= 1.5", ratio >= 1.5)
    row("ingest errors", i["errors"], "0", i["errors"] == 0)
    row("ingest stage shares", " ".join(f"{k}={v:.2f}" for k, v in i["stage_share"].items()))
    if "on_topic" in result:
        o = result["on_topic"]
        row(f"on-topic check p50/p95 ms ({o['claims']} headlines, their bodies ingested, limit 10)",
            f"{o['p50_ms']} / {o['p95_ms']}", "p95 <= 150", o["p95_ms"] <= 150)
        row("on-topic check server p95 ms by stage", " ".join(f"{k}={v}" for k, v in o["server_p95_ms"].items()))
    if "query_embedding" in result:
        q = result["query_embedding"]
        row("query embedding p50 ms: service / torch", f"{q['service_p50_ms']} / {q['torch_p50_ms']} "
            f"(x{q['torch_over_service']})")
        row("recall@10 service encoder vs fp32 torch", result["encoder_recall_at_10"], ">= 0.97",
            result["encoder_recall_at_10"] >= 0.97)
    for size in result["sizes"]:
        s = result["at"][str(size)]
        tag = f"@{size:,}"
        c, l, raw_q = s["check"], s["load"], s["raw_query"]
        big = size >= 1_000_000
        row(f"index {tag}", f"{s['index']['kind']} size={s['index']['size']:,}")
        row(f"check p50/p95/p99 ms {tag}", f"{c['p50_ms']} / {c['p95_ms']} / {c['p99_ms']}",
            "<= 60 / - / 200" if big else "", (c["p50_ms"] <= 60 and c["p99_ms"] <= 200) if big else None)
        row(f"check server p50 ms by stage {tag}", " ".join(f"{k}={v}" for k, v in c["server_p50_ms"].items()))
        if "server_p95_ms" in c:
            row(f"check server p95 ms by stage {tag}", " ".join(f"{k}={v}" for k, v in c["server_p95_ms"].items()))
        row(f"raw embed + exact search p50 ms {tag}",
            f"{raw_q['total_p50_ms']} ({raw_q['embed_p50_ms']} + {raw_q['exact_search_p50_ms']})")
        row(f"recall@10 vs exact {tag}", s["recall_at_10"], ">= 0.95", s["recall_at_10"] >= 0.95)
        if s.get("drafts", {}).get("drafts"):
            d = s["drafts"]
            ratio = round(d["draft"]["p50_ms"] / d["singles"]["p50_ms"], 2)
            row(f"draft of {d['claims_per_draft']} claims p50/p95 ms {tag}", f"{d['draft']['p50_ms']} / {d['draft']['p95_ms']}",
                "p50 <= 2000", d["draft"]["p50_ms"] <= 2000)
            row(f"{d['claims_per_draft']} single checks p50/p95 ms {tag}", f"{d['singles']['p50_ms']} / {d['singles']['p95_ms']}")
            row(f"draft / single checks (p50) {tag}", ratio, "<= 0.4", ratio <= 0.4)
            row(f"draft server p50 ms by stage {tag}", " ".join(f"{k}={v}" for k, v in d["draft_server_p50_ms"].items()))
        row(f"load {l['clients']} clients req/s, p99 ms {tag}", f"{l['requests_per_s']}, {l['p99_ms']}")
        row(f"load errors {tag}", l["errors"] + c["errors"], "0", l["errors"] + c["errors"] == 0)
        worst = max(m["rss_mib"] for m in s["memory"])
        pss = max(m["pss_mib"] for m in s["memory"])
        row(f"worker RSS / PSS MiB (max) {tag}", f"{worst} / {pss}", "<= 1536" if big else "",
            worst <= 1536 if big else None)
    widths = [max(len(r[c]) for r in rows + [("measure", "value", "target", "met")]) for c in range(4)]
    lines = [" | ".join(h.ljust(w) for h, w in zip(("measure", "value", "target", "met"), widths))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(v.ljust(w) for v, w in zip(r, widths)) for r in rows]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="indexed sentences, comma separated")
    parser.add_argument("--articles", type=int, default=40, help="articles of each corpus to ingest over HTTP")
    parser.add_argument("--checks", type=int, default=200, help="sequential checks per size")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients in the load test")
    parser.add_argument("--load-seconds", type=float, default=20)
    parser.add_argument("--drafts", type=int, default=10, help="40-claim drafts per size (0: none)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the service, repeatable")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    extra_env = dict(e.split("=", 1) for e in args.env)

    facts = machine_facts()
    print("machine:", json.dumps(facts), flush=True)
    work = Path(tempfile.mkdtemp(prefix="sayso-perf-"))
    data_dir = work / "data"
    result = {"machine": facts, "args": vars(args), "sizes": sizes, "at": {}}
    began = time.perf_counter()
    try:
        from index.live import LiveIndex
        from index.store import CorpusStore
        from models.encoder import DIMENSION, EMBEDDING_MODEL
        from core.settings import Settings

        # 1. ingestion over HTTP, then the raw encoder on the same sentences
        articles = read_articles(args.articles)
        server = Server(data_dir, args.workers, extra_env)
        try:
            result["ingestion"] = ingest(server, articles, clients=args.workers)
            # checks over the real bodies just ingested, with their own headlines as claims
            own = read_own_headlines(articles, 100)
            if own:
                result["on_topic"] = dict(latency(server, own, max(args.checks, len(own)), limit=10),
                                          claims=len(own))
                print("on-topic checks:", json.dumps(result["on_topic"]), flush=True)
        finally:
            server.stop()
        texts = result["ingestion"].pop("_texts")
        print("ingestion:", json.dumps(result["ingestion"]), flush=True)
        from sentence_transformers import SentenceTransformer

        from models.encoder import model_path

        encoder_model = SentenceTransformer(model_path(), device="cpu")
        result["raw_encoder"] = raw_encoder(encoder_model, texts)
        print("raw encoder:", json.dumps(result["raw_encoder"]), flush=True)
        claims = read_claims(max(args.checks, 200))
        draft_lines = read_draft_lines(args.articles, 80 * max(args.drafts, 1))  # about 60% read as claims
        from models.encoder import SentenceEncoder

        encoder = SentenceEncoder(threads=1)  # as a service worker runs it
        queries = encoder.encode(claims)
        result["query_embedding"] = query_embedding(encoder, encoder_model, claims[:100])
        print("query embedding:", json.dumps(result["query_embedding"]), flush=True)

        settings = Settings(data_dir=data_dir)
        store = CorpusStore(settings.store_url)
        base_ids, base = exact_index(store)
        base_vectors = base.reconstruct_n(0, base.ntotal)
        from index.tables import SentenceRow
        from sqlalchemy import select

        with store.session() as session:
            base_texts = dict(session.execute(
                select(SentenceRow.id, SentenceRow.text).where(SentenceRow.embedding.is_not(None))).all())
        result["encoder_recall_at_10"] = encoder_recall(
            base_vectors, [base_texts[int(i)] for i in base_ids], queries[:200], encoder_model, claims[:200])
        print("encoder recall@10 vs torch:", result["encoder_recall_at_10"], flush=True)
        rng = np.random.default_rng(7)

        for size in sizes:
            at = {"grow": grow(store, base_ids, base_vectors, base_texts, size, rng)}
            print(f"@{size}: grow", json.dumps(at["grow"]), flush=True)
            started = time.perf_counter()
            live = LiveIndex(store, DIMENSION, EMBEDDING_MODEL, settings.index_dir).open()
            live.rebuild_if_outgrown()  # what a running service's background thread does
            live.save()  # the cache file the workers start from
            at["index_build_seconds"] = round(time.perf_counter() - started, 1)
            exact_ids, exact = exact_index(store)
            at["recall_at_10"] = recall_at_10(live, exact_ids, exact, queries)
            at["raw_query"] = raw_query(encoder, exact, claims[:100])
            del live
            server = Server(data_dir, args.workers, extra_env)
            try:
                at["index"] = server.call("GET", "/v1/stats")[1]["index"]
                at["check"] = latency(server, claims, args.checks)
                if args.drafts:
                    at["drafts"] = drafts(server, draft_lines, args.drafts)
                at["load"] = load(server, claims, args.clients, args.load_seconds)
                at["memory"] = server.memory()
            finally:
                server.stop()
            del exact
            print(f"@{size}:", json.dumps({k: v for k, v in at.items() if k != "grow"}), flush=True)
            result["at"][str(size)] = at
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print("data kept in", work)
    result["seconds"] = round(time.perf_counter() - began)
    print()
    print(" ".join(f"{k}={v}" for k, v in facts.items()))
    text = table(result)
    print(text)
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"perf-{facts['when'].replace(':', '')[:17]}.json"
    path.write_text(json.dumps(dict(result, table=text.splitlines()), indent=1))
    print(f"\n{result['seconds']} s; written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
