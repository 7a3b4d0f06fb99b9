"""Joins the Swift and pyarrow benchmark results of one run into a table of ratios.

usage: report.py SWIFT.jsonl PYARROW.jsonl ROWS COMMAND OUT.md
Prints the table and writes it, with the machine and command, into OUT.md between the
<!-- bench:begin --> and <!-- bench:end --> markers (the rest of the file is kept).
"""
import datetime
import json
import os
import platform
import re
import sys

import pyarrow

swift_path, py_path, rows, command, out_path = sys.argv[1:6]


def load(path):
    with open(path) as f:
        return {r["name"]: r for r in map(json.loads, filter(str.strip, f))}


swift, py = load(swift_path), load(py_path)
ceiling = swift["memcpy_256MiB"]["bytes"] / swift["memcpy_256MiB"]["seconds"] / 1e9


def fmt_time(s):
    return f"{s * 1e3:.3f} ms" if s >= 1e-4 else f"{s * 1e6:.1f} µs"


lines = [
    "| benchmark | Lightstream | pyarrow/numpy | ratio Lightstream/pyarrow (time; < 1 is faster) | Lightstream GB/s | % of memcpy | items/s (or compression ratio) |",
    "|---|---:|---:|---:|---:|---:|---:|",
]
for name, s in swift.items():
    p = py.get(name)
    ratio = f"{s['seconds'] / p['seconds']:.2f}" if p else "n/a (no twin)"
    gbps = s["bytes"] / s["seconds"] / 1e9
    items = f"{s['items'] / s['seconds'] / 1e6:.2f} M" if "items" in s else ""
    if "ratio" in s:
        items = f"compressed to {s['ratio']:.3f}" + (f" (C: {p['ratio']:.3f})" if p and "ratio" in p else "")
    lines.append(f"| {name} | {fmt_time(s['seconds'])} | {fmt_time(p['seconds']) if p else '-'} | {ratio} | {gbps:.2f} | {100 * gbps / ceiling:.0f}% | {items} |")

cpu = platform.processor() or platform.machine()
try:
    with open("/proc/cpuinfo") as f:
        m = re.search(r"model name\s*:\s*(.*)", f.read())
        cpu = m.group(1) if m else cpu
except OSError:
    pass

block = "\n".join([
    "<!-- bench:begin -->",
    f"Run on {datetime.date.today()} with `{command.strip()}` ({rows} rows), {os.cpu_count()} cores, {cpu}, "
    f"pyarrow {pyarrow.__version__}. Best of 3-7 repetitions each, warm caches.",
    f"memcpy ceiling on this machine: {ceiling:.2f} GB/s (Swift memcpy of 256 MiB).",
    "",
    *lines,
    "<!-- bench:end -->",
])
print(block)

text = open(out_path).read() if os.path.exists(out_path) else "# Benchmarks\n\n<!-- bench:begin -->\n<!-- bench:end -->\n"
text = re.sub(r"<!-- bench:begin -->.*<!-- bench:end -->", lambda _: block, text, flags=re.S)
with open(out_path, "w") as f:
    f.write(text)
