#!/usr/bin/env bash
# Measures what handing a job to `WorkerPool`'s helper and joining it costs (nanoseconds per job
# of two empty parts, five rounds of 200,000 jobs): compiles Sources/Chip/WorkerPool.swift with
# bench/handoff/main.swift, optimized, into a temporary directory. See docs/performance-history.md
# (thirteenth and fourteenth rounds).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
swiftc -O -o "$work/handoff" "$here/../Sources/Chip/WorkerPool.swift" "$here/handoff/main.swift"
"$work/handoff"
