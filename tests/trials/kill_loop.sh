#!/usr/bin/env bash
# All-or-nothing output under kill -9 (issue 13, item 4). Not run by CI: it takes ~15 s a kill.
#
#   bash tests/trials/kill_loop.sh [BIN] [KILLS] [MAX_MS]
#
# Makes two known-good sets of `identify examples/demo` (A: the demo's settings, B: the same
# with oip.shnor_bar = 13), then KILLS times runs identify into one folder X, alternating A
# and B, and kills it with SIGKILL a random 0–MAX_MS ms after its write phase began (the lock
# file `.shnor.lock` in X names its process; the phase takes ~60 ms in a debug build). After each kill X must hold a whole set, A or B, or a
# committed staging folder that the next run completes; the temporaries a killed run left
# must be gone once the next run has passed its lock. A last run to completion must leave set
# A exactly and nothing else. Prints the counts; exits 1 on any mixed set.
set -u
BIN=${1:-$PWD/target/debug/shnor}
KILLS=${2:-100}
MAX_MS=${3:-80}
W=$(mktemp -d /tmp/shnor-kill.XXXXXX)
DEMO=$PWD/examples/demo
cp "$DEMO/shnor.toml" "$W/a.toml"
{ cat "$DEMO/shnor.toml"; printf '\n[oip]\nshnor_bar = 13.0\n'; } >"$W/b.toml"
"$BIN" identify "$DEMO" --out "$W/A" --config "$W/a.toml" -q || exit 1
"$BIN" identify "$DEMO" --out "$W/B" --config "$W/b.toml" -q || exit 1
FILES="identify-2025.xlsx schools.csv identify-2025.json identify-2025.docx"
cmp -s "$W/A/schools.csv" "$W/B/schools.csv" && { echo "sets A and B do not differ"; exit 1; }

# Which whole set X holds: A, B, or MIXED (with the files that differ).
which_set() {
  local x=$1 s
  for s in A B; do
    local ok=1
    for f in $FILES; do cmp -s "$x/$f" "$W/$s/$f" || ok=0; done
    [ $ok = 1 ] && { echo $s; return; }
  done
  echo MIXED
}
temporaries() { find "$1" -mindepth 1 -maxdepth 1 -name '.shnor*' -printf '%f\n' | sort | tr '\n' ' '; }

X=$W/X
cp -a "$W/A" "$X"
declare -A seen=()
mixed=0; recovered=0; stale=0; left_before=""
for i in $(seq 1 "$KILLS"); do
  if [ $((i % 2)) = 1 ]; then cfg=b; else cfg=a; fi
  "$BIN" identify "$DEMO" --out "$X" --config "$W/$cfg.toml" -q >/dev/null 2>&1 &
  pid=$!
  # Wait for the write phase (the lock file names this run's process: a killed run leaves
  # its lock file behind), then a random delay.
  while kill -0 $pid 2>/dev/null && [ "$(cat "$X/.shnor.lock" 2>/dev/null)" != "$pid" ]; do
    sleep 0.002
  done
  ms=$((RANDOM % (MAX_MS + 1)))
  sleep "$(printf '0.%03d' "$ms")"
  kill -9 $pid 2>/dev/null
  wait $pid 2>/dev/null
  state=$(which_set "$X")
  tmp=$(temporaries "$X")
  # Temporaries of the previous killed run must have been cleaned by this one.
  for t in $left_before; do
    case " $tmp " in *" $t "*) [ "$t" != .shnor.lock ] && stale=$((stale + 1));; esac
  done
  if [ "$state" = MIXED ]; then
    if ls "$X"/.shnor-tmp-*/manifest >/dev/null 2>&1; then
      state=COMMITTED; recovered=$((recovered + 1))
    else
      mixed=$((mixed + 1)); echo "kill $i after ${ms} ms: MIXED set, temporaries: $tmp"
    fi
  fi
  seen[$state]=$(( ${seen[$state]:-0} + 1 ))
  left_before=$tmp
done
# A last run to completion: set A and nothing else.
"$BIN" identify "$DEMO" --out "$X" --config "$W/a.toml" -q >/dev/null 2>&1
final=$(which_set "$X"); tmp=$(temporaries "$X")
extra=$(ls -A "$X" | grep -vxF -e identify-2025.xlsx -e schools.csv -e identify-2025.json -e identify-2025.docx | tr '\n' ' ')
echo "kills: $KILLS (0–$MAX_MS ms after the write phase began)"
for s in A B COMMITTED; do echo "  after kill: $s ${seen[$s]:-0}"; done
echo "  mixed sets: $mixed; interrupted commits completed by the next run: $recovered"
echo "  temporaries of a killed run still there after the next run: $stale"
echo "final run: set $final, other entries: [${extra}]"
rm -rf "$W"
[ $mixed = 0 ] && [ $stale = 0 ] && [ "$final" = A ] && [ -z "$extra" ]
