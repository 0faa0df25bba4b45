#!/bin/bash
# The long differential fuzzing run, in chunks: each chunk runs `fuzz/main.ts` with its own seed on a
# snapshot of the repository's HEAD as it is when the chunk starts (git archive, so other people's
# uncommitted edits never reach it), and logs its seed, commit, engines, modules, calls and mismatches.
#
#   fuzz/long-run.sh OUT_DIR STOP_AT(HH:MM UTC) FIRST_SEED MODULES_PER_CHUNK ENGINES [END_BY(HH:MM UTC)]
#
# No chunk starts after STOP_AT; a running chunk stops taking new batches at END_BY (default STOP_AT + 3 min).
# Summary of all chunks: fuzz/long-report.sh OUT_DIR
set -u
OUT=$1
STOP=$(date -u -d "$2" +%s)
SEED=$3
N=$4
ENGINES=$5
END_BY=$(date -u -d "${6:-$(date -u -d "@$((STOP + 180))" +%H:%M)}" +%s)
REPO=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$OUT"
k=0
while [ -e "$OUT/chunk-$k.log" ]; do k=$((k + 1)); done
while [ "$(date -u +%s)" -lt "$STOP" ]; do
  commit=$(git -C "$REPO" rev-parse HEAD)
  tree="$OUT/tree-${commit:0:12}"
  if [ ! -d "$tree" ]; then
    rm -rf "$tree.tmp" && mkdir -p "$tree.tmp"
    git -C "$REPO" archive "$commit" | tar -x -C "$tree.tmp"
    ln -s "$REPO/node_modules" "$tree.tmp/node_modules"
    mv "$tree.tmp" "$tree"
  fi
  s=$((SEED + k))
  log="$OUT/chunk-$k.log"
  secs=$((END_BY - $(date -u +%s)))
  {
    echo "chunk $k seed $s commit $commit engines $ENGINES modules $N start $(date -u +%FT%TZ)"
    (cd "$tree" && nice -n 10 node_modules/.bin/vite-node fuzz/main.ts -- --seed "$s" --cases "$N" --seconds "$secs" \
      --engines "$ENGINES" --out "$OUT/found-$k" --profile)
    echo "chunk $k end $(date -u +%FT%TZ) exit $?"
  } > "$log" 2>&1
  k=$((k + 1))
done
