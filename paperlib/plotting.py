"""Figures: a Korean font for matplotlib, and plotly figures that render everywhere.

``show(fig)`` emits one output with two representations of a plotly figure:
- ``application/vnd.plotly.v1+json`` for JupyterLab (its plotly renderer draws it);
- ``text/html`` for the static book (plotly.js is served from the book's own ``_static``,
  so no network is needed) and for Colab / classic notebooks (which fetch plotly.js once).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import count
from pathlib import Path

import matplotlib
import plotly.graph_objects as go
from matplotlib import font_manager
from torch import Tensor

from paperlib import checks

# Korean fonts we look for, in order. Noto Sans CJK KR (Debian: fonts-noto-cjk) comes first: it
# also has the minus sign U+2212 that matplotlib's mathtext draws on log axes (Nanum fonts lack it).
KOREAN_FONTS = ("Noto Sans CJK KR", "Noto Sans KR", "NanumGothic", "Malgun Gothic", "AppleGothic")
_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", str(Path.home() / ".fonts"))


def _first_known_korean_font() -> str | None:
    known = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in KOREAN_FONTS if name in known), None)


def use_korean_font() -> None:
    """Make matplotlib draw Korean text (no tofu boxes): the first installed font of ``KOREAN_FONTS``
    becomes ``rcParams["font.family"][0]``. Returns nothing, so a chapter's setup cell prints nothing.

    Fonts installed after matplotlib built its cache are registered from the system font
    folders. Raises ``RuntimeError`` naming the package to install when none is found.
    """
    family = _first_known_korean_font()
    if family != KOREAN_FONTS[0]:  # maybe installed after matplotlib cached its font list
        for path in font_manager.findSystemFonts(fontpaths=list(_FONT_DIRS)):
            if any(key in path for key in ("NotoSansCJK", "NotoSansKR", "NanumGothic")):
                font_manager.fontManager.addfont(path)
        family = _first_known_korean_font()
    if family is None:
        raise RuntimeError(
            f"No Korean font found for matplotlib: install one, e.g. `apt-get install fonts-noto-cjk` (looked for {', '.join(KOREAN_FONTS)})"
        )
    matplotlib.rcParams["font.family"] = [family, "DejaVu Sans"]


_ids = count()


def _html(fig: go.Figure, div_id: str) -> str:
    spec = fig.to_json()
    height = fig.layout.height or 450
    return (
        f'<div id="{div_id}" class="plotly-graph-div" style="height:{height}px; width:100%;"></div>\n'
        "<script>(function () {\n"
        f"  var spec = {spec};\n"
        f'  function draw() {{ Plotly.newPlot("{div_id}", {{data: spec.data, layout: spec.layout, frames: spec.frames || [], '
        "config: {responsive: true}}); }\n"
        "  if (window.Plotly) { draw(); } else {\n"
        '    var s = document.createElement("script");\n'
        f'    s.src = "https://cdn.plot.ly/plotly-{_plotly_js_version()}.min.js"; s.onload = draw;\n'
        "    document.head.appendChild(s);\n"
        "  }\n"
        "})();</script>"
    )


def _plotly_js_version() -> str:
    from plotly.offline import get_plotlyjs_version

    return get_plotlyjs_version()


def show(fig: go.Figure) -> None:
    """Display a plotly figure so that it renders in JupyterLab, Colab and the static book."""
    checks.instance(fig, "fig", go.Figure, "a plotly.graph_objects.Figure")
    from IPython.display import display

    bundle = {
        "application/vnd.plotly.v1+json": json.loads(fig.to_json()),
        "text/html": _html(fig, f"paperlib-plot-{next(_ids)}"),
        "text/plain": f"<plotly figure: {fig.layout.title.text or 'untitled'}>",
    }
    display(bundle, raw=True)


def clip_animation(videos: Tensor, titles: Sequence[str], title: str = "", frame_ms: int = 250) -> go.Figure:
    """Grayscale clips side by side as one plotly animation: a play button and a frame slider, so
    the static book plays them without a kernel. ``videos`` is ``(N, T, H, W)``, ``titles`` names
    each of the N clips (``<br>`` breaks a long title); every clip shares one colour range."""
    from plotly.subplots import make_subplots

    checks.tensor(videos, "videos", dim=4, shape="(N, T, H, W)")
    n, frames = videos.shape[:2]
    titles = checks.sequence(titles, "titles", checks.string, length=n, what="clip titles")
    title = checks.string(title, "title")
    checks.positive_int(frame_ms, "frame_ms")
    low, high = float(videos.min()), float(videos.max())
    videos = videos.detach().cpu().tolist()

    def heatmaps(t: int) -> list:
        return [
            go.Heatmap(z=clip[t], zmin=low, zmax=high, colorscale="gray", showscale=False, xaxis=f"x{i + 1}", yaxis=f"y{i + 1}")
            for i, clip in enumerate(videos)
        ]

    fig = make_subplots(rows=1, cols=n, subplot_titles=titles, horizontal_spacing=0.02)
    fig.update_annotations(font_size=13 if n <= 4 else 11)  # the clip titles stay apart with many clips
    for i, trace in enumerate(heatmaps(0)):
        fig.add_trace(trace, row=1, col=i + 1)
    fig.frames = [go.Frame(data=heatmaps(t), name=str(t)) for t in range(frames)]
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, autorange="reversed", scaleanchor="x")
    for i in range(1, n):
        fig.update_yaxes(scaleanchor=f"x{i + 1}", row=1, col=i + 1)
    still = dict(frame=dict(duration=0, redraw=True), mode="immediate", transition=dict(duration=0))
    play = dict(frame=dict(duration=frame_ms, redraw=True), fromcurrent=True, transition=dict(duration=0))
    fig.update_layout(
        title=title,
        height=260,
        margin=dict(l=10, r=10, t=80, b=70),
        updatemenus=[
            dict(
                type="buttons",
                direction="left",
                x=0,
                y=-0.12,
                xanchor="left",
                yanchor="top",
                buttons=[
                    dict(label="▶ 재생", method="animate", args=[None, play]),
                    dict(label="❚❚ 멈춤", method="animate", args=[[None], still]),
                ],
            )
        ],
        sliders=[
            dict(
                active=0,
                x=0.25,
                len=0.75,
                y=-0.05,
                currentvalue=dict(prefix="프레임 ", xanchor="right"),
                steps=[dict(label=str(t), method="animate", args=[[str(t)], still]) for t in range(frames)],
            )
        ],
    )
    return fig
