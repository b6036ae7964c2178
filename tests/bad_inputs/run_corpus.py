#!/usr/bin/python3
"""Runs `acuity analyze --json` on the bad-input corpus (make_corpus.py) and
checks that each file gives what its manifest entry says: "ok" = one JSON
object describing it; "error" = exactly one stderr line `acuity: FILE:
reason` (exit 3) and no JSON; "either" = one of those two. Never a crash, an
abort or a hang (time limit). All files go in one run, the good ones among
the bad, so the good files must still be analysed; when that run crashes
or hangs, each file is run alone to name the culprit.

  /usr/bin/python3 run_corpus.py ACUITY_BINARY CORPUS_DIR

Exit 0 when every case passes; prints one line per failure.
"""
import json
import os
import subprocess
import sys

TIMEOUT_S = 120  # generous: the machine may be loaded; a hang is far longer


def run(binary, paths):
    return subprocess.run([binary, "analyze", "--json"] + paths, capture_output=True, text=True,
                          timeout=TIMEOUT_S * max(1, len(paths) // 20))


def check_one(binary, path, expect):
    """An empty string when the file gives what `expect` says, else why not."""
    try:
        r = run(binary, [path])
    except subprocess.TimeoutExpired:
        return "hung (no answer in %d s)" % TIMEOUT_S
    lines = r.stderr.splitlines()
    if r.returncode == 0:
        if expect == "error":
            return "was analysed, expected an error"
        try:
            report = json.loads(r.stdout)
        except ValueError as e:
            return "exit 0 but stdout is not one JSON object: %s" % e
        if report.get("input", {}).get("path") != path:
            return "JSON does not describe the file"
        return ""
    if r.returncode == 3:
        if expect == "ok":
            return "error, expected an analysis: %s" % r.stderr.strip()
        if len(lines) != 1 or not lines[0].startswith("acuity: %s: " % path) or r.stdout:
            return "exit 3 but stderr is not exactly one 'acuity: FILE: reason' line: %r" % r.stderr
        return ""
    return "exit %d (crash or wrong code); stderr: %r" % (r.returncode, r.stderr[-500:])


def check_batch(binary, corpus, manifest):
    """All files in one run, good ones among the bad: each file must come out
    exactly once, as a JSON line or as one `acuity: FILE: reason` line, as
    its manifest entry allows. Returns failures; None when the run itself
    crashed or hung (then each file is run alone to find which)."""
    paths = [os.path.join(corpus, name) for name in sorted(manifest)]
    try:
        r = run(binary, paths)
    except subprocess.TimeoutExpired:
        return None
    if r.returncode not in (0, 3):
        return None
    analysed = [json.loads(line)["input"]["path"] for line in r.stdout.splitlines() if line.strip()]
    refused = {}
    failures = []
    for line in r.stderr.splitlines():
        path = next((p for p in paths if line.startswith("acuity: %s: " % p)), None)
        if path is None:
            failures.append("stray stderr line: %r" % line)
        else:
            refused[path] = refused.get(path, 0) + 1
    for name, expect in sorted(manifest.items()):
        path = os.path.join(corpus, name)
        outcome = (analysed.count(path), refused.get(path, 0))
        if outcome not in ((1, 0), (0, 1)):
            failures.append("%s: %d analyses and %d error lines" % (name, outcome[0], outcome[1]))
        elif expect == "ok" and outcome != (1, 0):
            failures.append("%s: refused, expected an analysis" % name)
        elif expect == "error" and outcome != (0, 1):
            failures.append("%s: analysed, expected an error" % name)
    return failures


def main():
    binary, corpus = sys.argv[1], sys.argv[2]
    with open(os.path.join(corpus, "manifest.json")) as f:
        manifest = json.load(f)
    failures = check_batch(binary, corpus, manifest)
    if failures is None:  # a crash or hang: find the file(s)
        failures = ["the run over all files crashed or hung"]
        for name, expect in sorted(manifest.items()):
            why = check_one(binary, os.path.join(corpus, name), expect)
            if why:
                failures.append("%s: %s" % (name, why))
    for line in failures:
        print("FAIL " + line)
    print("run_corpus: %d files, %d failures" % (len(manifest), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
