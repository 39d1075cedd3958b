#!/usr/bin/env python3
"""Draws issue 11's curves from the bench output, with the standard library only.

Reads target/bench-results/keys.csv (benches/app.rs: engine,bookings,key,ms) and, when it is
there, target/bench-results/contention.csv (benches/contention.rs: engine,variant,processes,
booked_per_s,p50_ms,p99_ms,max_ms,errors), and writes next to this script:

- keys.svg: each key's latency (key -> frame, median) against the number of bookings, log-log,
  one panel per engine, with the 16 ms line;
- contention.svg: bookings per second against processes, one line per variant and engine;
- README.md: the same figures as tables. A keys-before.csv beside keys.csv (the same bench on
  the code before issue 11) adds a "before" column.

When a file holds several runs of the same figure, the last one counts.

    python3 docs/curves/plot.py [RESULTS_DIR]
"""

import csv
import math
import os
import sys
from collections import OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
RESULTS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "bench-results")

TARGET_MS = 16.0
COLOURS = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd",
    "#e6550d", "#31a354", "#756bb1", "#636363", "#6baed6", "#fd8d3c", "#74c476", "#9e9ac8",
    "#969696", "#9c9ede", "#cedb9c", "#e7ba52", "#e7969c", "#de9ed6",
]


def read_csv(path):
    if not os.path.exists(path):
        return None
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def keys_table(rows):
    """{engine: {key: {bookings: ms}}}, the last row of each figure winning."""
    table = OrderedDict()
    for r in rows:
        engine = table.setdefault(r["engine"], OrderedDict())
        engine.setdefault(r["key"], {})[int(r["bookings"])] = float(r["ms"])
    return table


def esc(text):
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Svg:
    def __init__(self, width, height):
        self.width, self.height, self.parts = width, height, []

    def add(self, part):
        self.parts.append(part)

    def line(self, x1, y1, x2, y2, colour="#000", width=1.0, dash=None):
        d = f' stroke-dasharray="{dash}"' if dash else ""
        self.add(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                 f'stroke="{colour}" stroke-width="{width}"{d}/>')

    def text(self, x, y, text, size=11, anchor="start", colour="#000"):
        self.add(f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
                 f'font-family="sans-serif" fill="{colour}">{esc(text)}</text>')

    def polyline(self, points, colour, width=1.5):
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        self.add(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="{width}"/>')
        for x, y in points:
            self.add(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>')

    def write(self, path):
        with open(path, "w") as f:
            f.write(f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width}" '
                    f'height="{self.height}" viewBox="0 0 {self.width} {self.height}">\n')
            f.write(f'<rect width="{self.width}" height="{self.height}" fill="#fff"/>\n')
            f.write("\n".join(self.parts))
            f.write("\n</svg>\n")


class Axes:
    """A panel with axes; x and y are log or linear."""

    def __init__(self, svg, box, xs, ys, xlog, ylog, xlabel, ylabel, title):
        self.svg, (self.x0, self.y0, self.w, self.h) = svg, box
        self.xlog, self.ylog = xlog, ylog
        self.xmin, self.xmax = self.bounds(xs, xlog)
        self.ymin, self.ymax = self.bounds(ys, ylog)
        svg.add(f'<rect x="{self.x0}" y="{self.y0}" width="{self.w}" height="{self.h}" '
                f'fill="none" stroke="#888"/>')
        svg.text(self.x0 + self.w / 2, self.y0 - 8, title, size=13, anchor="middle")
        svg.text(self.x0 + self.w / 2, self.y0 + self.h + 34, xlabel, anchor="middle")
        svg.add(f'<text x="{self.x0 - 46}" y="{self.y0 + self.h / 2}" font-size="11" '
                f'font-family="sans-serif" text-anchor="middle" transform="rotate(-90 '
                f'{self.x0 - 46} {self.y0 + self.h / 2})">{esc(ylabel)}</text>')
        for v in self.ticks(self.xmin, self.xmax, xlog, xs):
            x = self.x(v)
            svg.line(x, self.y0 + self.h, x, self.y0 + self.h + 4, "#888")
            svg.text(x, self.y0 + self.h + 16, label(v), size=10, anchor="middle")
        for v in self.ticks(self.ymin, self.ymax, ylog, None):
            y = self.y(v)
            svg.line(self.x0, y, self.x0 + self.w, y, "#eee")
            svg.text(self.x0 - 5, y + 3, label(v), size=10, anchor="end")

    @staticmethod
    def bounds(values, log):
        lo, hi = min(values), max(values)
        if log:
            lo, hi = 10 ** math.floor(math.log10(lo)), 10 ** math.ceil(math.log10(hi))
            return lo, hi if hi > lo else lo * 10
        return 0.0, hi * 1.1 if hi > 0 else 1.0

    @staticmethod
    def ticks(lo, hi, log, exact):
        if exact:
            return sorted(set(exact))
        if log:
            out, v = [], lo
            while v <= hi * 1.0001:
                out.append(v)
                v *= 10
            return out
        step = 10 ** math.floor(math.log10(hi / 5)) if hi > 0 else 1
        while hi / step > 8:
            step *= 2
        return [i * step for i in range(int(hi / step) + 1)]

    def scale(self, v, lo, hi, log):
        if log:
            return (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))
        return (v - lo) / (hi - lo)

    def x(self, v):
        return self.x0 + self.w * self.scale(v, self.xmin, self.xmax, self.xlog)

    def y(self, v):
        return self.y0 + self.h * (1 - self.scale(v, self.ymin, self.ymax, self.ylog))


def label(v):
    if v >= 1_000_000:
        return f"{v / 1_000_000:g} M"
    if v >= 1_000:
        return f"{v / 1_000:g} k"
    return f"{v:g}"


def legend(svg, x, y, names):
    for i, name in enumerate(names):
        colour = COLOURS[i % len(COLOURS)]
        yy = y + 14 * i
        svg.line(x, yy - 4, x + 18, yy - 4, colour, 2)
        svg.text(x + 24, yy, name, size=10)


def plot_keys(table, path):
    engines = list(table)
    keys = list(OrderedDict((k, None) for e in engines for k in table[e]))
    panel_w, panel_h = 460, 420
    svg = Svg(70 + len(engines) * (panel_w + 70) + 300, panel_h + 110)
    ms = [v for e in engines for k in table[e] for v in table[e][k].values() if v > 0]
    sizes = [b for e in engines for k in table[e] for b in table[e][k]]
    for i, engine in enumerate(engines):
        box = (70 + i * (panel_w + 70), 40, panel_w, panel_h)
        ax = Axes(svg, box, sizes, ms + [TARGET_MS], True, True, "bookings (log)",
                  "key -> frame, ms (log)", f"{engine}: every key against data size")
        y = ax.y(TARGET_MS)
        svg.line(ax.x0, y, ax.x0 + ax.w, y, "#d00", 1, "6,4")
        svg.text(ax.x0 + ax.w - 4, y - 4, "16 ms", size=10, anchor="end", colour="#d00")
        for j, key in enumerate(keys):
            points = sorted(table[engine].get(key, {}).items())
            if points:
                svg.polyline([(ax.x(b), ax.y(max(v, ax.ymin))) for b, v in points],
                             COLOURS[j % len(COLOURS)])
    legend(svg, 70 + len(engines) * (panel_w + 70) - 30, 50, keys)
    svg.write(path)


def plot_contention(rows, path):
    series = OrderedDict()
    for r in rows:
        name = f'{r["engine"]} {r["variant"]}'
        series.setdefault(name, {})[int(r["processes"])] = float(r["booked_per_s"])
    ps = [p for s in series.values() for p in s]
    rates = [v for s in series.values() for v in s.values()]
    svg = Svg(820, 480)
    ax = Axes(svg, (80, 40, 480, 380), ps, rates, False, False, "processes P",
              "bookings per second", "Contended booking: throughput against P")
    for j, (name, points) in enumerate(series.items()):
        svg.polyline([(ax.x(p), ax.y(v)) for p, v in sorted(points.items())], COLOURS[j % len(COLOURS)])
    legend(svg, 590, 50, list(series))
    svg.write(path)


def keys_markdown(table, before):
    out = ["## Key latency against data size", "",
           "Median key -> frame in ms (`benches/app.rs`); target ≤ 16 ms at 1 M bookings and "
           "within 1.5× of the 10 k figure.", ""]
    for engine, keys in table.items():
        sizes = sorted({b for k in keys.values() for b in k})
        head = ["key"] + [label(s) for s in sizes] + ["1 M / 10 k"]
        if before and engine in before:
            head.append("before, at " + label(sizes[-1]))
        out += [f"### {engine}", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for key, values in keys.items():
            cells = [f"`{key}`"] + [f"{values[s]:.2f}" if s in values else "—" for s in sizes]
            lo, hi = values.get(sizes[0]), values.get(sizes[-1])
            cells.append(f"{hi / lo:.1f}×" if lo and hi else "—")
            if before and engine in before:
                was = before[engine].get(key, {}).get(sizes[-1])
                cells.append(f"{was:.2f}" if was is not None else "—")
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    return out


def contention_markdown(rows):
    out = ["## Contended booking against P", "",
           "| engine | variant | P | booked/s | p50 ms | p99 ms | max ms | errors |", "|---|---|---|---|---|---|---|---|"]
    last = OrderedDict()
    for r in rows:
        last[(r["engine"], r["variant"], int(r["processes"]))] = r
    for (engine, variant, p), r in sorted(last.items()):
        out.append(f'| {engine} | {variant} | {p} | {r["booked_per_s"]} | {r["p50_ms"]} | '
                   f'{r["p99_ms"]} | {r["max_ms"]} | {r["errors"]} |')
    out.append("")
    return out


def main():
    keys = read_csv(os.path.join(RESULTS, "keys.csv"))
    before = read_csv(os.path.join(RESULTS, "keys-before.csv"))
    contention = read_csv(os.path.join(RESULTS, "contention.csv"))
    md = ["# Curves", "", "Generated by `python3 docs/curves/plot.py` from `target/bench-results/` "
          "(see docs/PERFORMANCE.md for the runs); do not edit by hand.", ""]
    if keys:
        table = keys_table(keys)
        plot_keys(table, os.path.join(HERE, "keys.svg"))
        md += ["![key latency against data size](keys.svg)", ""]
        md += keys_markdown(table, keys_table(before) if before else None)
        print("wrote keys.svg")
    else:
        print("no keys.csv: run `cargo bench --bench app` first", file=sys.stderr)
    if contention:
        plot_contention(contention, os.path.join(HERE, "contention.svg"))
        md += ["![bookings per second against processes](contention.svg)", ""]
        md += contention_markdown(contention)
        print("wrote contention.svg")
    else:
        print("no contention.csv: skipped the contention plot", file=sys.stderr)
    with open(os.path.join(HERE, "README.md"), "w") as f:
        f.write("\n".join(md))
    print("wrote README.md")


if __name__ == "__main__":
    main()
