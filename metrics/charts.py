"""Inline SVG charts drawn on the server: no JavaScript, no CDN, numbers only in the markup."""

import math
from datetime import date, timedelta

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT = 720, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 28
COLOURS = {"FBA": "#2b6cb0", "FBM": "#c05621", "all": "#4a5568"}


def axis_top(highest: float) -> float:
    """The value axis's top: the highest point rounded up to a step a reader can place
    (0.25 % under 2 %, 0.5 % under 5 %, else whole percents), so the axis covers every point
    and says where it ends."""
    step = 0.25 if highest < 2 else 0.5 if highest < 5 else 1.0
    return math.ceil(highest / step - 1e-9) * step


def odr_trend_svg(
    *, series: dict[str, list[tuple[date, float]]], until: date, days: int, target: float, warning: float
) -> SafeString:
    """A line per channel of ODR (percent) over ``days`` days up to ``until``, with the
    target and warning lines. Days without a snapshot are gaps, not zeros."""
    start = until - timedelta(days=days - 1)
    highest = max([target * 1.5] + [value for points in series.values() for _, value in points])
    peak = axis_top(highest)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        return LEFT + plot_w * (day - start).days / max(days - 1, 1)

    def y(value: float) -> float:
        return TOP + plot_h * (1 - value / peak)

    lines = []
    for channel, points in series.items():
        # Split at missing days so that a gap in the history is not drawn as a straight line.
        runs: list[list[tuple[date, float]]] = []
        for day, value in sorted(points):
            if runs and (day - runs[-1][-1][0]).days == 1:
                runs[-1].append((day, value))
            else:
                runs.append([(day, value)])
        for run in runs:
            coords = " ".join(f"{x(day):.1f},{y(value):.1f}" for day, value in run)
            if len(run) == 1:
                day, value = run[0]
                lines.append(
                    format_html(
                        '<circle cx="{}" cy="{}" r="2" fill="{}"/>',
                        f"{x(day):.1f}",
                        f"{y(value):.1f}",
                        COLOURS.get(channel, "#000"),
                    )
                )
            else:
                lines.append(
                    format_html(
                        '<polyline fill="none" stroke="{}" stroke-width="2" points="{}"/>',
                        COLOURS.get(channel, "#000"),
                        coords,
                    )
                )
    legend = format_html_join(
        "",
        '<text x="{}" y="{}" fill="{}" font-size="11">{}</text>',
        ((LEFT + 8 + 60 * i, TOP + 12, COLOURS.get(c, "#000"), c) for i, c in enumerate(series)),
    )
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="10" text-anchor="middle" fill="#555">{}</text>',
        (
            (f"{x(start + timedelta(days=d)):.1f}", HEIGHT - 8, (start + timedelta(days=d)).strftime("%b %d"))
            for d in range(0, days, max(days // 6, 1))
        ),
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" '
        'aria-label="ODR over {days} days">'
        '<rect x="{l}" y="{t}" width="{pw}" height="{ph}" fill="#fff" stroke="#ddd"/>'
        '<line x1="{l}" x2="{r}" y1="{ty}" y2="{ty}" stroke="#c53030" stroke-dasharray="4 3"/>'
        '<text x="{tl}" y="{tyt}" font-size="10" text-anchor="end" fill="#c53030">{target}%</text>'
        '<line x1="{l}" x2="{r}" y1="{wy}" y2="{wy}" stroke="#d69e2e" stroke-dasharray="2 3"/>'
        '<text x="{tl}" y="{wyt}" font-size="10" text-anchor="end" fill="#b7791f">{warning}%</text>'
        '<text x="{tl}" y="{zy}" font-size="10" text-anchor="end" fill="#555">0%</text>'
        '<text x="{tl}" y="{py}" font-size="10" text-anchor="end" fill="#555" class="axis-top">{peak}%</text>'
        "{lines}{legend}{ticks}</svg>",
        w=WIDTH,
        h=HEIGHT,
        days=days,
        l=LEFT,
        t=TOP,
        r=WIDTH - RIGHT,
        pw=plot_w,
        ph=plot_h,
        ty=f"{y(target):.1f}",
        tyt=f"{y(target) + 3:.1f}",
        wy=f"{y(warning):.1f}",
        wyt=f"{y(warning) + 3:.1f}",
        zy=f"{y(0) + 3:.1f}",
        py=f"{y(peak) + 8:.1f}",
        peak=f"{peak:g}",
        tl=LEFT - 4,
        target=f"{target:g}",
        warning=f"{warning:g}",
        lines=SafeString("".join(lines)),
        legend=legend,
        ticks=ticks,
    )
