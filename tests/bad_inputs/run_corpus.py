#!/usr/bin/python3
"""Runs `acuity analyze --json` on every file of the bad-input corpus
(make_corpus.py) and checks that each gives what its manifest entry says:
"ok" = exit 0 and one JSON object describing the file; "error" = exit 3,
nothing on stdout and exactly one stderr line `acuity: FILE: reason`;
"either" = one of those two. Never a crash, an abort or a hang (each run has
a time limit). Then runs all of them at once followed by a good file: the
good file must still be analysed.

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
                          timeout=TIMEOUT_S * max(1, len(paths) // 10))


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


def main():
    binary, corpus = sys.argv[1], sys.argv[2]
    with open(os.path.join(corpus, "manifest.json")) as f:
        manifest = json.load(f)
    failures = []
    for name, expect in sorted(manifest.items()):
        why = check_one(binary, os.path.join(corpus, name), expect)
        if why:
            failures.append("%s: %s" % (name, why))
    bad = [os.path.join(corpus, n) for n, e in sorted(manifest.items()) if e == "error"]
    good = os.path.join(corpus, "good.jpg")
    r = run(binary, bad + [good])
    reports = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
    if r.returncode != 3 or [rep["input"]["path"] for rep in reports] != [good]:
        failures.append("together: the good file after %d bad ones was not analysed alone (exit %d)"
                        % (len(bad), r.returncode))
    if len(r.stderr.splitlines()) != len(bad):
        failures.append("together: %d stderr lines for %d bad files" % (len(r.stderr.splitlines()), len(bad)))
    for line in failures:
        print("FAIL " + line)
    print("run_corpus: %d files, %d failures" % (len(manifest), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
