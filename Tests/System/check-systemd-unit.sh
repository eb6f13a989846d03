#!/usr/bin/env bash
# Checks systemd/scanstation.service offline: `systemd-analyze verify` on a copy whose
# ExecStart points at the built binary must print nothing (its warnings exit 0, so any
# output fails), and `systemd-analyze security` must score 1.5 or lower.
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=${1:-$(swift build --show-bin-path)/scanstation}
[[ -x "$binary" ]] || { echo "FAIL: $binary is not built"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed "s#^ExecStart=/usr/bin/scanstation#ExecStart=$binary#" systemd/scanstation.service > "$work/scanstation.service"
grep -q "^ExecStart=$binary" "$work/scanstation.service" || { echo "FAIL: ExecStart not found in the unit"; exit 1; }

out=$(systemd-analyze verify --man=no "$work/scanstation.service" 2>&1) || { echo "FAIL: verify: $out"; exit 1; }
if [[ -n "$out" ]]; then echo "FAIL: systemd-analyze verify warned:"; echo "$out"; exit 1; fi
echo "ok: systemd-analyze verify is silent"

score=$(systemd-analyze security --offline=yes "$work/scanstation.service" 2>&1 | sed -n 's/.*Overall exposure level for scanstation.service: \([0-9.]*\).*/\1/p')
[[ -n "$score" ]] || { echo "FAIL: no exposure score"; exit 1; }
systemd-analyze security --offline=yes --threshold=15 "$work/scanstation.service" >/dev/null 2>&1 \
    || { echo "FAIL: exposure $score is above 1.5"; exit 1; }
echo "ok: systemd-analyze security exposure $score (target 1.5 or lower)"
