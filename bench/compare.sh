#!/usr/bin/env bash
# Before/after on a machine whose speed drifts: run bench/run.py on an older commit and on
# the working tree, alternating, so that both see the same minutes.
#
#   DATABASE_URL=postgres://…/csmdesk_desk_bench bench/compare.sh f726669 --only desk --repeat 20
#
# Arguments after the commit go to bench/run.py (--no-write is added: RESULTS.md is not
# touched). ROUNDS=2 by default. The older commit is checked out in a temporary git
# worktree, removed at the end; both trees use this checkout's .venv.
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: bench/compare.sh COMMIT [bench/run.py options]" >&2; exit 2; }
before_rev=$1
shift
here=$(cd "$(dirname "$0")/.." && pwd)
python="$here/.venv/bin/python"
before=$(mktemp -d)
trap 'git -C "$here" worktree remove --force "$before" >/dev/null 2>&1 || true' EXIT

git -C "$here" worktree add --quiet --detach "$before" "$before_rev"
export SECRET_KEY=${SECRET_KEY:-bench-only-not-secret}
for tree in "$before" "$here"; do
  # DEBUG is off in the bench: the pages need the collected static files' manifest.
  (cd "$tree" && DEBUG=0 "$python" manage.py collectstatic --noinput -v0)
done

for round in $(seq "${ROUNDS:-2}"); do
  for tree in "$before" "$here"; do
    label=$([ "$tree" = "$here" ] && echo "working tree" || echo "$before_rev")
    echo "== $label, round $round, $(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1 /proc/loadavg)"
    (cd "$tree" && "$python" bench/run.py --no-write "$@" | grep ' median ')
  done
done
