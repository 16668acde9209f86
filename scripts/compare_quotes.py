#!/usr/bin/env python3
"""annals against the spaCy + textacy peer on direct quotes, side by side, in one run.

Usage: scripts/compare_quotes.py [--corpus DIR] [--speed-copies N] [--venv DIR] [--shared DIR]

Quality: both tools read the same folder of .txt files (default: examples/seeds). Each
one's direct quotes are scored against the gold standard with ../shared/eval/score.py
(the peer's speaker is its speaker text; score.py matches it to the gold actor by name).

Speed: on the five seeds the peer's own timing is dominated by its warm-up (its first
batch), so speed is measured on a larger corpus: the folder's files copied N times
(--speed-copies, default 20) into a temporary folder, which both tools read. Model
loading is left out of both: the peer reports its own processing time (after loading);
annals is timed on the large folder and on the small one, and the difference is the
time of the extra (N-1) copies' words. Both run on one thread.

Needs ../shared (the scorer, the gold and the peer script) and the peer's virtualenv
(/tmp/peer-venv, made by ../shared/peers/spacy/setup_spacy_peer.sh). Without them it
says so and exits 0.
"""
import argparse
import json
import os
import shutil
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


def words_in(folder):
    """Files and whitespace-separated words of a folder's .txt files (the peer's count)."""
    files = [f for f in os.listdir(folder) if f.endswith(".txt")]
    words = sum(len(open(os.path.join(folder, f), encoding="utf-8", errors="replace").read().split())
                for f in files)
    return len(files), words


def copies(corpus, n, into):
    """Copy every .txt file of `corpus` n times into the folder `into`."""
    for k in range(n):
        for f in sorted(os.listdir(corpus)):
            if f.endswith(".txt"):
                shutil.copyfile(os.path.join(corpus, f), os.path.join(into, f"c{k:04d}_{f}"))


def run_peer(python, peer, folder, docs=True):
    out = subprocess.run([python, peer, folder] + ([] if docs else ["--no-docs"]),
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"peer failed: {out.stderr}")
    lines = [json.loads(l) for l in out.stdout.splitlines() if l.strip()]
    return lines, next(l["timing"] for l in lines if "timing" in l)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=os.path.join(ROOT, "examples", "seeds"))
    ap.add_argument("--venv", default="/tmp/peer-venv")
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    ap.add_argument("--speed-copies", type=int, default=20,
                    help="copies of the corpus in the speed corpus (at least 2)")
    a = ap.parse_args()
    if a.speed_copies < 2:
        ap.error("--speed-copies must be at least 2")
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
    annals = [binary, "analyze", "--format", "json", "--threads", "1", "--quiet"]
    files, words = words_in(corpus)

    # quality: both tools on the corpus itself, scored against the gold
    t1, out = timed(annals + [corpus])
    if out.returncode != 0:
        sys.exit(f"annals failed: {out.stderr}")
    ours = json.loads(out.stdout)
    lines, small_timing = run_peer(python, peer, corpus)
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

    # speed: both tools on N copies of the corpus
    with tempfile.TemporaryDirectory(prefix="annals-speed-") as big:
        copies(corpus, a.speed_copies, big)
        big_files, big_words = words_in(big)
        tn, out = timed(annals + [big])
        if out.returncode != 0:
            sys.exit(f"annals failed on the speed corpus: {out.stderr}")
        _, timing = run_peer(python, peer, big, docs=False)
    annals_wps = (big_words - words) / max(tn - t1, 1e-9)
    peer_wps = timing["words_per_sec"] or 0.0

    rows = [
        ("direct quotes in gold", s_ours["quotes.gold"], s_peer["quotes.gold"]),
        ("direct quotes found", s_ours["quotes.found"], s_peer["quotes.found"]),
        ("direct quotes, right speaker", s_ours["quotes.attributed"], s_peer["quotes.attributed"]),
        ("quotes.f1", f'{s_ours["quotes.f1"]:.3f}', f'{s_peer["quotes.f1"]:.3f}'),
        ("quotes.attribution_f1", f'{s_ours["quotes.attribution_f1"]:.3f}', f'{s_peer["quotes.attribution_f1"]:.3f}'),
        ("words per second, speed corpus", f"{annals_wps:,.0f}", f"{peer_wps:,.0f}"),
        ("words per second, quality corpus", "-", f'{small_timing["words_per_sec"] or 0:,.0f}'),
    ]
    print(f"quality corpus: {corpus}: {files} files, {words:,} words (scored against the gold)")
    print(f"speed corpus:   {a.speed_copies} copies of it: {big_files} files, {big_words:,} words; "
          f"one thread each; model loading left out")
    print(f"annals: {tn:.2f} s on the speed corpus - {t1:.2f} s on the quality corpus "
          f"= {tn - t1:.2f} s for {big_words - words:,} words")
    print(f"peer:   {timing['model']}, n_process {timing['n_process']}, batch {timing['batch_size']}: "
          f"{timing['seconds']:.2f} s for {timing['words']:,} words after {timing['load_seconds']:.2f} s of loading")
    print(f"{'':36s} {'annals':>12s} {'spaCy+textacy':>14s}")
    for name, x, y in rows:
        print(f"{name:36s} {x!s:>12s} {y!s:>14s}")
    speedup = annals_wps / peer_wps if peer_wps else float("inf")
    more = s_ours["quotes.attributed"] > s_peer["quotes.attributed"]
    print(f"annals attributes {'more' if more else 'NOT more'} direct quotes correctly; "
          f"it is {speedup:.0f}x faster on the speed corpus"
          f"{'' if speedup >= 50 else ' (the bar is 50x)'}")
    return 0 if more and speedup >= 50 else 1


if __name__ == "__main__":
    sys.exit(main())
