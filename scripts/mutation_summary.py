"""Summarise mutmut's results per package and gate the files a change touched.

Reads the `mutants/**/*.py.meta` files mutmut 3 writes in each run directory given, prints per
package the mutants, killed, survived, no tests, timeout, accepted equivalents and the score, then
the names of the mutants that are neither killed nor accepted. With `--gate FILE...` it exits 1
when one of those files scores under `--min-score` or keeps a mutant that is neither killed nor
listed in the equivalents file (`name  # why`, one a line).

The score is (killed + timeout) / (mutants - accepted equivalents): a mutant no test runs counts
as a survivor, a timeout as a kill (the mutant was noticed).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

# mutmut's exit codes (mutmut.stats.status_by_exit_code), reduced to what the gate needs.
KILLED = {1: "killed", 3: "killed"}
TIMEOUT = {36: "timeout", -24: "timeout", 24: "timeout", 152: "timeout", 255: "timeout"}
NO_TESTS = {5: "no tests", 33: "no tests"}


def status(code: int | None) -> str:
    if code is None:
        return "not checked"
    if code in KILLED:
        return "killed"
    if code in TIMEOUT:
        return "timeout"
    if code in NO_TESTS:
        return "no tests"
    if code == 0:
        return "survived"
    if code == 34:
        return "skipped"
    return "suspicious"


def read_equivalents(path: Path) -> dict[str, str]:
    """Accepted equivalent mutants: name -> why. An entry without its reason is an error."""
    accepted: dict[str, str] = {}
    if not path.exists():
        return accepted
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, _, why = line.partition("#")
        if not why.strip():
            sys.exit(f"{path}:{number}: {name.strip()} has no '# why'")
        accepted[name.strip()] = why.strip()
    return accepted


def read_results(run_dirs: list[Path]) -> dict[str, dict[str, str]]:
    """Source file (relative to the project) -> mutant name -> status."""
    results: dict[str, dict[str, str]] = {}
    for run_dir in run_dirs:
        mutants = run_dir / "mutants"
        for meta in sorted(mutants.rglob("*.py.meta")):
            source = str(meta.relative_to(mutants))[: -len(".meta")]
            codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
            if codes:
                results[source] = {name: status(code) for name, code in codes.items()}
    return results


def score(counts: Counter[str]) -> float:
    denominator = counts["mutants"] - counts["equivalent"]
    if denominator <= 0:
        return 100.0
    return 100.0 * (counts["killed"] + counts["timeout"]) / denominator


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dirs", nargs="+", type=Path)
    parser.add_argument("--equivalents", type=Path, required=True)
    parser.add_argument("--only", nargs="*", default=[], help="report only these source files")
    parser.add_argument("--gate", nargs="*", default=[], help="files that must pass")
    parser.add_argument("--min-score", type=float, default=90.0)
    args = parser.parse_args()

    accepted = read_equivalents(args.equivalents)
    results = read_results(args.run_dirs)
    if args.only:
        results = {source: r for source, r in results.items() if source in args.only}

    by_package: dict[str, Counter[str]] = {}
    by_file: dict[str, Counter[str]] = {}
    open_mutants: list[tuple[str, str]] = []
    for source, mutants in sorted(results.items()):
        package = source.split("/")[0]
        package_counts = by_package.setdefault(package, Counter())
        for counts in (package_counts, by_file.setdefault(source, Counter())):
            for name, state in mutants.items():
                counts["mutants"] += 1
                if state in ("killed", "timeout"):
                    counts[state] += 1
                elif name in accepted:
                    counts["equivalent"] += 1
                else:
                    counts[state] += 1
        open_mutants += [
            (name, state)
            for name, state in mutants.items()
            if state not in ("killed", "timeout") and name not in accepted
        ]

    header = f"{'package':<12}{'mutants':>8}{'killed':>8}{'survived':>9}{'no tests':>9}"
    header += f"{'timeout':>8}{'equiv.':>7}{'other':>6}{'score':>8}"
    print(header)
    for package, c in sorted(by_package.items()):
        other = c["not checked"] + c["suspicious"] + c["skipped"]
        print(
            f"{package:<12}{c['mutants']:>8}{c['killed']:>8}{c['survived']:>9}{c['no tests']:>9}"
            f"{c['timeout']:>8}{c['equivalent']:>7}{other:>6}{score(c):>7.1f}%"
        )
    if open_mutants:
        print(f"\n{len(open_mutants)} mutants neither killed nor accepted as equivalent:")
        for name, state in sorted(open_mutants):
            print(f"  {name}  ({state})")

    known = {name for mutants in results.values() for name in mutants}
    modules = tuple(source[: -len(".py")].replace("/", ".") + "." for source in results)
    stale = sorted(name for name in accepted if name.startswith(modules) and name not in known)
    if stale:
        print(f"\nequivalents no run produced (renamed or gone): {', '.join(stale)}")

    failed = False
    for source in args.gate:
        file_counts = by_file.get(source)
        if file_counts is None:
            continue  # no function, no mutant
        remaining = file_counts["mutants"] - file_counts["killed"] - file_counts["timeout"]
        remaining -= file_counts["equivalent"]
        if score(file_counts) < args.min_score or remaining:
            print(f"FAIL {source}: {score(file_counts):.1f}%, {remaining} not killed nor accepted")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
