#!/usr/bin/env bash
# End-to-end run of the real binary: `acodesk --db <tmp> demo` in tmux; the worklist and a patient
# name from sample-data must be on screen; `q` must quit with exit status 0.
set -euo pipefail
bin="$(realpath "${1:-target/debug/acodesk}")"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
session="acodesk-e2e-$$"
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$work"' EXIT

# Family names of the sample pilot's patients (4th column of patients.csv).
tail -n +2 "$root/sample-data/patients.csv" | cut -d, -f4 | sort -u > "$work/names.txt"
[ -s "$work/names.txt" ] || { echo "no names read from sample-data/patients.csv"; exit 1; }

tmux new-session -d -s "$session" -x 100 -y 30 \
  "env LANG=C.UTF-8 ACODESK_CONFIG=/nonexistent/config.toml '$bin' --db '$work/demo.db' demo; echo \"EXIT=\$?\" > '$work/exit'; sleep 2"

ok=""
for _ in $(seq 1 240); do
  tmux capture-pane -p -t "$session" > "$work/screen.txt" 2>/dev/null || true
  if grep -q "Worklist" "$work/screen.txt" && grep -qE "[0-9,]+ patients" "$work/screen.txt" && grep -qF -f "$work/names.txt" "$work/screen.txt"; then
    ok=1
    break
  fi
  sleep 0.5
done
cat "$work/screen.txt"
[ -n "$ok" ] || { echo "FAIL: the worklist with a sample patient's name did not appear"; exit 1; }
echo "found on screen: $(grep -oF -f "$work/names.txt" "$work/screen.txt" | head -1)"

tmux send-keys -t "$session" q
for _ in $(seq 1 40); do
  [ -f "$work/exit" ] && break
  sleep 0.25
done
[ -f "$work/exit" ] || { echo "FAIL: acodesk did not exit after q"; exit 1; }
cat "$work/exit"
grep -qx "EXIT=0" "$work/exit" || { echo "FAIL: non-zero exit status"; exit 1; }
echo "e2e demo: ok"
