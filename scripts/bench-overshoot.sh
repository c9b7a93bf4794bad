#!/usr/bin/env bash
# Cost-ceiling overshoot at the service's defaults (docs/benchmarks.md): the spend at the stop
# divided by the ceiling, for the same one-shot task in each language, side by side in one run.
#
# The task: 40 simulated s, 1.00 USD (0.025 USD a second), ceiling 0.10 USD; the simulator at
# its default 50 s inline wait, the clients at their default 2 s poll interval. Run twice: at
# the service's own pace (time scale 1) and at a tenth of it (time scale 0.1, the pace of the
# issue's report: the task spends 10x faster per wall second, so one poll interval is worth more).
#
#   scripts/bench-overshoot.sh [ENIGMA_BIN]
# Needs the Python package built into python/.venv (python/scripts/test.sh) and the Node addon
# (node: npm run build); ENIGMA_BIN defaults to target/debug/enigma (cargo build -p enigma-cli).
set -euo pipefail
cd "$(dirname "$0")/.."
enigma=${1:-target/debug/enigma}
python=${PYTHON:-python/.venv/bin/python}
node_dir=${NODE_DIR:-node}
task='Research 50 laptops #sim duration=40 cost=1.0'
ceiling=0.10

ratio() { awk -v s="$1" -v c="$ceiling" 'BEGIN { if (s == "") print "n/a"; else printf "%.2f", s / c }'; }

for scale in 1 0.1; do
  log=$(mktemp)
  "$enigma" sim --time-scale "$scale" --rate-limit 0 --port 0 > "$log" 2>&1 &
  sim=$!
  url=
  for _ in $(seq 100); do
    url=$(grep -o 'http://[0-9.:]*' "$log" | head -1 || true)
    [ -n "$url" ] && break
    sleep 0.05
  done
  key=enig_bench0000000000000000000000
  export ENIGMA_BASE_URL=$url ENIGMA_API_KEY=$key

  cli=$("$enigma" --json run "$task" --max-cost "$ceiling" 2>/dev/null | jq -r '.error.usage.cost // .usage.cost // empty' || true)
  py=$("$python" -c "
import enigma
try:
    r = enigma.Client().run_task('$task', max_cost=$ceiling)
    print(r.usage.cost)
except enigma.CostLimitExceeded as e:
    print(e.usage.cost)
" 2>/dev/null || true)
  js=$(cd "$node_dir" && node --input-type=module -e "
import { Client } from 'enigma-click'
const c = new Client()
try { console.log((await c.runTask({ taskDetails: '$task', maxCost: $ceiling })).usage.cost) }
catch (e) { console.log(e.usage?.cost ?? '') }
await c.close()
" 2>/dev/null || true)
  kill "$sim" 2>/dev/null || true
  wait "$sim" 2>/dev/null || true
  rm -f "$log"

  printf 'time scale %-4s  spend at the stop / ceiling:  cli (Rust core) %s (%s USD)  python %s (%s USD)  node %s (%s USD)\n' \
    "$scale" "$(ratio "$cli")" "${cli:-?}" "$(ratio "$py")" "${py:-?}" "$(ratio "$js")" "${js:-?}"
done
