#!/usr/bin/env python3
"""Sums a heaptrack peak-memory flame graph by what holds the memory.

Usage:
  heaptrack_print -f k8s.<pid>.zst --flamegraph-cost-type peak -F peak.txt \
      --print-peaks 0 --print-allocators 0 --print-temporary 0 --print-leaks 0 > /dev/null
  Scripts/heap-categories.py peak.txt

Each line of peak.txt is a call stack (frames separated by ';') and the bytes it held at the
peak. A stack counts towards the first category below that matches one of its frames (mangled Swift
names are matched by substring), so decoding comes before the containers that keep the result.
"""
import collections
import sys

CATEGORIES = [
    ("decoded objects: their strings, arrays, dictionaries", ("Decoder_p_tKcfC", "JSONDecoder", "slim")),
    ("store index", ("StoreIndex",)),
    ("stores: dictionaries of objects", ("StoreWriterV5apply",)),
    ("watchers' known objects", ("WatcherStateMachine",)),
    ("metrics", ("Prometheus", "CheckMetrics")),
    ("controller: queue, schedule", ("PeriodicSchedule", "WorkQueue", "ControllerRuntime")),
    ("coordinator", ("Coordinator", "OwnerCache")),
]


def main(path: str) -> None:
    totals: collections.Counter[str] = collections.Counter()
    others: collections.Counter[str] = collections.Counter()
    for line in open(path, encoding="utf-8", errors="replace"):
        stack, _, cost = line.rstrip("\n").rpartition(" ")
        if not cost.isdigit():
            continue
        category = next((name for name, needles in CATEGORIES if any(n in stack for n in needles)), "other")
        totals[category] += int(cost)
        if category == "other":
            swift = [frame for frame in stack.split(";") if "$s" in frame]
            others[(swift[-1] if swift else stack.split(";")[-1])[:100]] += int(cost)
    print(f"peak heap {sum(totals.values()) / 1e6:.1f} MB")
    for name, cost in totals.most_common():
        print(f"  {cost / 1e6:6.1f} MB  {name}")
    for frame, cost in others.most_common(5):
        print(f"      other {cost / 1e6:5.2f} MB  {frame}")


if __name__ == "__main__":
    main(sys.argv[1])
