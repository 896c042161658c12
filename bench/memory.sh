#!/usr/bin/env bash
# Measures this machine's memory as a large simulation step meets it: streaming bandwidth (read,
# and read-modify-write), independent random reads and a dependent chain of them, one thread
# alone and two at once (256 MB per thread): compiles bench/memory/main.swift, optimized for
# this CPU, into a temporary directory. docs/performance.md ("What the unmet targets would
# take") turns the numbers into the least time a `cuba-400k` step can take.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
swiftc -O -target-cpu native -o "$work/memory" "$here/memory/main.swift"
"$work/memory"
