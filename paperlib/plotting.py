"""Figures: a Korean font for matplotlib, and plotly figures that render everywhere.

``show(fig)`` emits one output with two representations of a plotly figure:
- ``application/vnd.plotly.v1+json`` for JupyterLab (its plotly renderer draws it);
- ``text/html`` for the static book (plotly.js is served from the book's own ``_static``,
  so no network is needed) and for Colab / classic notebooks (which fetch plotly.js once).
"""

from __future__ import annotations

import json
from itertools import count
from pathlib import Path

import matplotlib
import plotly.graph_objects as go
from matplotlib import font_manager

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
            "No Korean font found for matplotlib: install one, e.g. `apt-get install fonts-noto-cjk` "
            f"(looked for {', '.join(KOREAN_FONTS)})"
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
        f'  function draw() {{ Plotly.newPlot("{div_id}", spec.data, spec.layout, {{responsive: true}}); }}\n'
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
