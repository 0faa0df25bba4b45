#!/bin/bash
# Summary of a fuzz/long-run.sh directory: per chunk (seed, commit, modules, calls, mismatches) and totals.
OUT=$1
printf '%-6s %-6s %-12s %8s %8s %10s %7s  %s\n' chunk seed commit modules calls mismatches seconds status
tm=0; tc=0; tx=0
for f in $(ls "$OUT"/chunk-*.log | sort -t- -k2 -n); do
  head=$(head -1 "$f")
  k=$(echo "$head" | awk '{print $2}'); seed=$(echo "$head" | awk '{print $4}'); commit=$(echo "$head" | awk '{print $6}')
  line=$(grep -E '^fuzz seed [0-9]+: ' "$f" | tail -1)
  if [ -n "$line" ]; then
    m=$(echo "$line" | sed -E 's/.*: ([0-9]+) modules.*/\1/'); c=$(echo "$line" | sed -E 's/.* ([0-9]+) export calls.*/\1/')
    secs=$(echo "$line" | sed -E 's/.* in ([0-9]+) s.*/\1/')
    x=$(grep -E '^mismatches: ' "$f" | awk '{print $2}'); st=done
  else
    last=$(grep -E '^[0-9]+ modules, ' "$f" | tail -1)
    m=$(echo "$last" | awk '{print $1}'); c=$(echo "$last" | awk '{print $3}'); x=$(echo "$last" | awk '{print $5}'); secs=-; st=running
    m=${m:-0}; c=${c:-0}; x=${x:-0}
  fi
  printf '%-6s %-6s %-12s %8s %8s %10s %7s  %s\n' "$k" "$seed" "${commit:0:12}" "$m" "$c" "$x" "$secs" "$st"
  tm=$((tm + m)); tc=$((tc + c)); tx=$((tx + x))
done
echo "total: $tm modules, $tc export calls, $tx mismatches"
# Modules per engine, summed over finished chunks.
grep -h '^engines compared' "$OUT"/chunk-*.log | sed -E 's/^[^:]*: //; s/ \(oracle.*//' | tr ',' '\n' |
  awk 'NF == 2 { n[$1] += $2 } END { printf "modules per engine (finished chunks):"; for (e in n) printf " %s %d", e, n[e]; print "" }'
