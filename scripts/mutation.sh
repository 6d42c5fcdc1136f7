#!/usr/bin/env bash
# Mutation testing with mutmut (pyproject.toml's [tool.mutmut]): do the tests notice when the law
# in the code is broken? Two runs: the pure core (law/, procedure/) against its own tests, in
# mutants/; the Django part (ledger/chain.py, ledger/services.py, deadlines/services.py,
# supervision/selectors.py) against the ledger, deadlines and supervision tests on the SQLite test
# database, in var/mutation-django/ ([tool.zhifa.mutmut-django]).
#
#   scripts/mutation.sh [PATH...]         mutate PATHs (default: the whole set), print per package
#                                         mutants, killed, survived, timeout, score and the mutants
#                                         neither killed nor accepted as equivalent
#   scripts/mutation.sh --changed [BASE]  only the mutated files `git diff --name-only BASE` touches
#                                         (default HEAD~1), within MUTATION_TIMEOUT seconds (900);
#                                         exits 1 when a touched law/ or procedure/ file scores
#                                         under 90 % or keeps a mutant neither killed nor listed in
#                                         scripts/mutation-equivalent.txt
#   scripts/mutation.sh show NAME         the diff of one mutant
#
# At most MUTATION_CHILDREN (2) test processes run at once. Every given mutant is tested again
# (mutmut's cache would keep a survivor's old verdict after a test was added).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# mutmut's copies have no var/ of their own: they sign with this checkout's key (bootstrap.sh).
if [ -z "${SECRET_KEY:-}${SECRET_KEY_FILE:-}" ] && [ -s var/secret_key ]; then
  export SECRET_KEY_FILE=$ROOT/var/secret_key
fi
DJANGO_DIR=var/mutation-django
EQUIVALENTS=scripts/mutation-equivalent.txt
CHILDREN=${MUTATION_CHILDREN:-2}
CORE_DIRS=(law procedure)
DJANGO_FILES=(ledger/chain.py ledger/services.py deadlines/services.py supervision/selectors.py)

# A mutated file: law/ or procedure/ source (not tests), or one of the Django files.
is_mutated() {
  local f=$1
  [[ $f == *.py && $f != */tests/* && -f $f ]] || return 1
  [[ $f == law/* || $f == procedure/* ]] && return 0
  local d
  for d in "${DJANGO_FILES[@]}"; do [[ $f == "$d" ]] && return 0; done
  return 1
}

# The Django run's directory: the project's entries linked in, its own pyproject.toml whose
# [tool.mutmut] is [tool.zhifa.mutmut-django].
prepare_django_dir() {
  mkdir -p "$DJANGO_DIR"
  local entry
  for entry in $(git ls-files | cut -d/ -f1 | sort -u); do
    [[ $entry == pyproject.toml ]] && continue
    ln -sfn "$ROOT/$entry" "$DJANGO_DIR/$entry"
  done
  .venv/bin/python - "$DJANGO_DIR/pyproject.toml" <<'PY'
import re
import sys
from pathlib import Path

text = Path("pyproject.toml").read_text(encoding="utf-8")
text = re.sub(r"(?ms)^\[tool\.mutmut\]\n.*?(?=^\[)", "", text)
text = text.replace("[tool.zhifa.mutmut-django]", "[tool.mutmut]")
Path(sys.argv[1]).write_text(text, encoding="utf-8")
PY
}

if [[ ${1:-} == show ]]; then
  name=${2:?"usage: scripts/mutation.sh show MUTANT_NAME"}
  case $name in
    law.* | procedure.*) exec .venv/bin/mutmut show "$name" ;;
    *) cd "$DJANGO_DIR" && exec "$ROOT/.venv/bin/mutmut" show "$name" ;;
  esac
fi

changed=""
if [[ ${1:-} == --changed ]]; then
  changed=${2:-HEAD~1}
  [[ $changed == -* ]] && changed=HEAD~1
  shift $(($# > 1 ? 2 : 1))
fi

scripts/bootstrap.sh

files=()
if [[ -n $changed ]]; then
  if ! git rev-parse --verify -q "$changed^{commit}" >/dev/null; then
    echo "mutation: base $changed is not a commit of this clone; nothing could be checked" >&2
    exit 2
  fi
  while read -r f; do is_mutated "$f" && files+=("$f"); done < <(git diff --name-only "$changed")
  if [[ ${#files[@]} -eq 0 ]]; then
    echo "no mutated file changed since $changed"
    exit 0
  fi
else
  targets=("$@")
  [[ ${#targets[@]} -eq 0 ]] && targets=("${CORE_DIRS[@]}" "${DJANGO_FILES[@]}")
  for t in "${targets[@]}"; do
    t=${t%/}
    if [[ -d $t ]]; then
      while read -r f; do is_mutated "$f" && files+=("$f"); done < <(find "$t" -name '*.py' | sort)
    elif is_mutated "$t"; then
      files+=("$t")
    else
      echo "not in the mutated set: $t" >&2
      exit 2
    fi
  done
fi

# Mutant names are module.function__mutmut_N; a file without a function has none.
core=()
django=()
for f in "${files[@]}"; do
  grep -qE '^\s*(async )?def ' "$f" || continue
  glob="$(echo "${f%.py}" | tr / .).*"
  case $f in
    law/* | procedure/*) core+=("$glob") ;;
    *) django+=("$glob") ;;
  esac
done

# Forget the earlier verdicts of the files to test: a run cut short by the time bound then
# reports the mutants it did not reach as not checked, not as they were last time.
forget_verdicts() { # DIR FILE...
  .venv/bin/python - "$@" <<'PY'
import json
import sys
from pathlib import Path

run_dir, *files = sys.argv[1:]
for source in files:
    meta = Path(run_dir, "mutants", source + ".meta")
    if meta.exists():
        data = json.loads(meta.read_text(encoding="utf-8"))
        data["exit_code_by_key"] = dict.fromkeys(data["exit_code_by_key"])
        meta.write_text(json.dumps(data, indent=4), encoding="utf-8")
PY
}

deadline=$((SECONDS + ${MUTATION_TIMEOUT:-900}))
run_mutmut() { # DIR LOG GLOB...
  local dir=$1 log=$2
  shift 2
  local limit=()
  if [[ -n $changed ]]; then
    local left=$((deadline - SECONDS))
    ((left > 0)) || { echo "time bound reached; $dir not run"; return 0; }
    limit=(timeout -s INT -k 60 "$left")
  fi
  echo "mutmut in ${dir}: $* (log: $log)"
  local start=$SECONDS rc=0
  (cd "$dir" && "${limit[@]}" "$ROOT/.venv/bin/mutmut" run --max-children "$CHILDREN" "$@") \
    >"$log" 2>&1 || rc=$?
  echo "  $((SECONDS - start)) s, exit $rc"
  if ((rc == 124 || rc == 130)); then
    echo "  time bound reached: the mutants not yet tested count as not checked"
  elif ((rc != 0)); then
    tail -n 30 "$log"
    exit "$rc"
  fi
}

mkdir -p var
core_files=()
django_files=()
for f in "${files[@]}"; do
  case $f in
    law/* | procedure/*) core_files+=("$f") ;;
    *) django_files+=("$f") ;;
  esac
done
forget_verdicts . "${core_files[@]}"
forget_verdicts "$DJANGO_DIR" "${django_files[@]}"
if [[ ${#core[@]} -gt 0 ]]; then
  run_mutmut . var/mutation-core.log "${core[@]}"
fi
if [[ ${#django[@]} -gt 0 ]]; then
  prepare_django_dir
  # A fresh test database for the first, unmutated run; the mutants' copies start from it.
  rm -f "$DJANGO_DIR"/mutants/var/test-zhifa.sqlite3*
  run_mutmut "$DJANGO_DIR" var/mutation-django.log "${django[@]}"
  rm -f "$DJANGO_DIR"/mutants/var/test-zhifa.sqlite3.*
fi

gate=()
if [[ -n $changed ]]; then
  for f in "${files[@]}"; do [[ $f == law/* || $f == procedure/* ]] && gate+=("$f"); done
fi
echo
exec .venv/bin/python scripts/mutation_summary.py . "$DJANGO_DIR" \
  --equivalents "$EQUIVALENTS" --only "${files[@]}" --gate "${gate[@]}"
