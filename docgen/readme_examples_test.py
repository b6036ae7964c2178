#!/usr/bin/python3
"""The README's walkthrough shows what acuity prints.

Each `$ build/acuity analyze …` or `$ build/acuity advise …` block of
README.md is run from the repository root with ACUITY. A block shows an
excerpt: its lines, cut at each "  ..." (output left out), must appear in
what acuity prints, each run of lines in a row and the runs in order. The
time estimate's figures are the machine's own and are not compared. The
`enhance` block shows times and is not run.

    /usr/bin/python3 docgen/readme_examples_test.py README.md build/acuity
"""
import os
import re
import shlex
import subprocess
import sys

ESTIMATE = re.compile(r"(expected to run in about )[0-9.]+( \w+)")


def blocks(readme_text):
    """The (command, shown lines) of each analyze or advise example."""
    found, current = [], None
    for line in readme_text.splitlines():
        if line.startswith("```"):
            if current:
                found.append(current)
            current = None
        elif re.match(r"\$ build/acuity (analyze|advise) ", line):
            current = (line[2:], [])
        elif current:
            current[1].append(line)
    return found


def normalised(line):
    return ESTIMATE.sub(r"\1N\2", line)


def missing_runs(shown, printed):
    """The runs of `shown` (split at "  ...") not found in `printed` in order."""
    runs, run = [], []
    for line in shown:
        if line == "  ...":
            runs.append(run)
            run = []
        else:
            run.append(normalised(line))
    runs.append(run)
    lines, at, missing = [normalised(l) for l in printed], 0, []
    for run in filter(None, runs):
        for start in range(at, len(lines) - len(run) + 1):
            if lines[start:start + len(run)] == run:
                at = start + len(run)
                break
        else:
            missing.append(run)
    return missing


def main():
    readme, acuity = os.path.realpath(sys.argv[1]), os.path.realpath(sys.argv[2])
    os.chdir(os.path.dirname(readme))
    examples = blocks(open(readme, encoding="utf-8").read())
    if not examples:
        print("README.md: no `$ build/acuity analyze|advise` block found")
        return 1
    failed = 0
    for command, shown in examples:
        args = shlex.split(command)[1:]
        run = subprocess.run([acuity] + args, capture_output=True, text=True, timeout=300)
        for lines in missing_runs(shown, (run.stdout + run.stderr).splitlines()):
            failed += 1
            print(f"README.md: `acuity {' '.join(args)}` no longer prints these lines in a row:")
            print("\n".join("    " + l for l in lines))
    if failed:
        print("Run the commands and paste what they print into README.md.")
        return 1
    print(f"README.md: {len(examples)} examples, each as acuity prints it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
