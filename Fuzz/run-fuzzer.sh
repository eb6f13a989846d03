#!/usr/bin/env bash
# Builds the libFuzzer target Fuzz<NAME> and runs it for SECONDS.
#   Fuzz/run-fuzzer.sh ScanCodes 20      # CI smoke
#   Fuzz/run-fuzzer.sh ScanCodes 3600    # by hand
# The fuzz target has no main (libFuzzer brings it), so Package.swift declares it only when
# SCANSTATION_FUZZ=1; it is built in its own scratch directory (.build-fuzz) so the normal
# debug build is untouched. New inputs go to .build-fuzz/corpus/NAME (seeded from
# Fuzz/seeds/NAME); crashes are written to .build-fuzz/crashes/NAME and fail the script.
set -euo pipefail
name="${1:?usage: Fuzz/run-fuzzer.sh NAME SECONDS}"
seconds="${2:?usage: Fuzz/run-fuzzer.sh NAME SECONDS}"
root="$(cd "$(dirname "$0")/.." && pwd)"
product="Fuzz${name}"
scratch="$root/.build-fuzz"
cd "$root"
# swift build passes "-sanitize=fuzzer -sanitize=address" to swiftc as two options, and
# the compiler keeps only the last: the Swift code then gets no coverage counters and
# libFuzzer fuzzes blind ("Is the code instrumented for coverage?"). The combined option,
# given last, instruments for both.
SCANSTATION_FUZZ=1 swift build -c release --disable-dead-strip --sanitize=fuzzer --sanitize=address \
    -Xswiftc -sanitize=fuzzer,address \
    --scratch-path "$scratch" --product "$product"
corpus="$scratch/corpus/$name"
crashes="$scratch/crashes/$name"
mkdir -p "$corpus" "$crashes"
if [ -d "$root/Fuzz/seeds/$name" ]; then cp -n "$root/Fuzz/seeds/$name/"* "$corpus/" 2>/dev/null || true; fi
SWIFT_BACKTRACE=enable=no "$scratch/release/$product" \
    -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$crashes/" "$corpus"
