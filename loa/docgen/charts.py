"""Bar charts as PNG bytes for official documents (matplotlib, no screen, no Django).

Black on white with one grey fill, Liberation Serif (metric-compatible with Times New Roman, which
the documents use; installed with the system packages) falling back to DejaVu Serif, which
matplotlib ships: both carry every Vietnamese letter. Values are written at the end of each bar
so the chart reads without a grid, as a printed report needs.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

_FONTS = ["Liberation Serif", "Times New Roman", "DejaVu Serif"]


def _number(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".")


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str = "",
    width_cm: float = 16.0,
    dpi: int = 150,
) -> bytes:
    """A horizontal bar chart, largest first as given, each bar labelled with its value.

    Raises ``ValueError`` when the lengths differ or there is nothing to draw.
    """
    if len(labels) != len(values):
        raise ValueError("labels and values differ in length")
    if not labels:
        raise ValueError("nothing to draw")
    import matplotlib
    from matplotlib.figure import Figure  # no pyplot: no global state, no screen

    short = [label if len(label) <= 42 else label[:41] + "…" for label in labels]
    height_in = 0.9 + 0.32 * len(labels)
    fig = Figure(figsize=(width_cm / 2.54, height_in), dpi=dpi)
    with matplotlib.rc_context({"font.family": "serif", "font.serif": _FONTS, "font.size": 9}):
        ax = fig.add_subplot()
        positions = list(range(len(labels)))[::-1]
        ax.barh(positions, values, color="#7f7f7f", edgecolor="black", linewidth=0.5, height=0.65)
        ax.set_yticks(positions, short)
        top = max(values) or 1
        ax.set_xlim(0, top * 1.15)
        for y, value in zip(positions, values, strict=True):
            ax.text(value + top * 0.01, y, _number(value), va="center", fontsize=8)
        ax.xaxis.set_visible(False)
        for side in ("top", "right", "bottom"):
            ax.spines[side].set_visible(False)
        if title:
            ax.set_title(title, fontsize=10, fontweight="bold")
        # margins from the longest label (about 0.5 em per letter at 9 pt) instead of tight_layout,
        # which draws the figure twice
        width_in = width_cm / 2.54
        left_in = 0.25 + 0.062 * max(len(label) for label in short)
        fig.subplots_adjust(
            left=min(0.6, left_in / width_in),
            right=0.97,
            bottom=0.25 / height_in,
            top=1 - (0.45 if title else 0.2) / height_in,
        )
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=dpi)
    return out.getvalue()
