#!/usr/bin/env bash
# All-or-nothing output on a full disk (issue 13, item 4). Not run by CI: needs root (mount).
#
#   sudo bash tests/trials/full_disk.sh [BIN]
#
# A 300 KB tmpfs holds one report set of fixtures/handworked (~184 KB) but not two. Set P is
# written with oip.shnor_bar = 13 (other bytes than the default's), then the default run
# must fail for lack of space and leave P byte for byte, with no temporaries.
set -u
BIN=${1:-$PWD/target/debug/shnor}
M=$(mktemp -d /tmp/shnor-full.XXXXXX)
W=$(mktemp -d /tmp/shnor-fullw.XXXXXX)
mount -t tmpfs -o size=300k tmpfs "$M" || exit 1
printf '[oip]\nshnor_bar = 13.0\n' >"$W/p.toml"
"$BIN" identify fixtures/handworked --out "$M/X" --config "$W/p.toml" -q 2>/dev/null
cp -a "$M/X" "$W/P"
"$BIN" identify fixtures/handworked --out "$M/X" -q 2>"$W/err"
rc=$?
echo "exit code: $rc"; grep 'ошибка' "$W/err"
if diff -r "$W/P" "$M/X" >/dev/null && [ -z "$(ls -A "$M/X" | grep '^\.')" ]; then
  echo "previous set intact, no temporaries"; ok=0
else
  echo "PREVIOUS SET CHANGED:"; ls -la "$M/X"; ok=1
fi
umount "$M"; rm -rf "$M" "$W"
exit $ok
