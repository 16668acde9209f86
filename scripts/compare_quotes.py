#!/usr/bin/env python3
"""annals against the spaCy + textacy peer on direct quotes, side by side, in one run.

Usage: scripts/compare_quotes.py [--corpus DIR] [--venv DIR] [--shared DIR] [--repeat N]

Both tools read the same folder of .txt files (default: examples/seeds). Each one's direct
quotes are scored against the gold standard with ../shared/eval/score.py (the peer's
speaker is its speaker text; score.py matches it to the gold actor by name), and each
one's speed is measured without model loading: the peer reports its own processing time;
annals is run on the folder once and on N+1 copies of it in one run, and the difference
is N passes of analysis.

Needs ../shared (the scorer, the gold and the peer script) and the peer's virtualenv
(/tmp/peer-venv, made by ../shared/peers/spacy/setup_spacy_peer.sh). Without them it
says so and exits 0.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def skip(why):
    print(f"compare_quotes: skipped: {why}")
    sys.exit(0)


def annals_binary():
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "annals-cli"], cwd=ROOT, check=True)
    meta = subprocess.run(["cargo", "metadata", "--format-version", "1", "--no-deps"], cwd=ROOT,
                          check=True, capture_output=True, text=True)
    return os.path.join(json.loads(meta.stdout)["target_directory"], "release", "annals")


def timed(cmd):
    t = time.perf_counter()
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    return time.perf_counter() - t, out


def score(score_py, gold, pred):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(pred, f)
    out = subprocess.run([sys.executable, score_py, "--gold", gold, "--pred", f.name, "--json"],
                         capture_output=True, text=True)
    os.unlink(f.name)
    if out.returncode not in (0, 1):
        sys.exit(f"score.py failed: {out.stderr}")
    return json.loads(out.stdout.splitlines()[0])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=os.path.join(ROOT, "examples", "seeds"))
    ap.add_argument("--venv", default="/tmp/peer-venv")
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    ap.add_argument("--repeat", type=int, default=20, help="extra passes of annals for its speed")
    a = ap.parse_args()
    score_py = os.path.join(a.shared, "eval", "score.py")
    gold = os.path.join(a.shared, "seeds-gold", "gold.json")
    peer = os.path.join(a.shared, "peers", "spacy", "spacy_peer.py")
    for p in (score_py, gold, peer):
        if not os.path.exists(p):
            skip(f"{p} is absent (../shared ships to developers and CI only)")
    python = os.path.join(a.venv, "bin", "python")
    if not os.path.exists(python):
        skip(f"no peer virtualenv at {a.venv}; make it with {a.shared}/peers/spacy/setup_spacy_peer.sh")

    corpus = os.path.abspath(a.corpus)
    binary = annals_binary()

    # annals: quality on one pass, speed from 1 vs 1+N passes in one run
    t1, out = timed([binary, "analyze", corpus, "--format", "json", "--threads", "1", "--quiet"])
    if out.returncode != 0:
        sys.exit(f"annals failed: {out.stderr}")
    ours = json.loads(out.stdout)
    tn, _ = timed([binary, "analyze"] + [corpus] * (a.repeat + 1) + ["--format", "json", "--threads", "1", "--quiet"])
    words = sum(len(open(os.path.join(corpus, f), encoding="utf-8", errors="replace").read().split())
                for f in os.listdir(corpus) if f.endswith(".txt"))
    annals_wps = words * a.repeat / max(tn - t1, 1e-9)

    # the peer, on the same folder
    out = subprocess.run([python, peer, corpus], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"peer failed: {out.stderr}")
    lines = [json.loads(l) for l in out.stdout.splitlines() if l.strip()]
    timing = next(l["timing"] for l in lines if "timing" in l)
    peer_pred = {"documents": [], "actors": [], "quotes": []}
    for rec in (l for l in lines if "doc" in l):
        stem = rec["doc"].rsplit(".", 1)[0]
        peer_pred["documents"].append({"id": stem})
        for q in rec["quotes"]:
            peer_pred["quotes"].append({"doc": stem, "speaker": q["speaker"] or None, "text": q["content"],
                                        "direct": True, "cue": q["cue"],
                                        "start": q["start_char"], "end": q["end_char"]})

    s_ours = score(score_py, gold, ours)
    s_peer = score(score_py, gold, peer_pred)
    rows = [
        ("direct quotes in gold", s_ours["quotes.gold"], s_peer["quotes.gold"]),
        ("direct quotes found", s_ours["quotes.found"], s_peer["quotes.found"]),
        ("direct quotes, right speaker", s_ours["quotes.attributed"], s_peer["quotes.attributed"]),
        ("quotes.f1", f'{s_ours["quotes.f1"]:.3f}', f'{s_peer["quotes.f1"]:.3f}'),
        ("quotes.attribution_f1", f'{s_ours["quotes.attribution_f1"]:.3f}', f'{s_peer["quotes.attribution_f1"]:.3f}'),
        ("words per second (no model load)", f"{annals_wps:,.0f}", f'{timing["words_per_sec"]:,.0f}'),
    ]
    print(f"corpus: {corpus} ({words} words); annals --threads 1, {a.repeat} timed passes; "
          f"peer {timing['model']}, n_process {timing['n_process']}")
    print(f"{'':36s} {'annals':>12s} {'spaCy+textacy':>14s}")
    for name, x, y in rows:
        print(f"{name:36s} {x!s:>12s} {y!s:>14s}")
    speedup = annals_wps / timing["words_per_sec"] if timing["words_per_sec"] else float("inf")
    more = s_ours["quotes.attributed"] > s_peer["quotes.attributed"]
    print(f"annals attributes {'more' if more else 'NOT more'} direct quotes correctly; "
          f"it is {speedup:.0f}x faster")
    return 0 if more and speedup >= 50 else 1


if __name__ == "__main__":
    sys.exit(main())
