"""The explorer: one function of a knob becomes a live widget *and* a static plotly slider.

    def panel(T):                       # any function: knob value -> list of plotly traces
        return [go.Bar(x=classes, y=softmax_t(logits, T))]

    explore(panel, "T", [1, 2, 4, 8], title="온도 T")

- In a running kernel, an ipywidgets slider recomputes ``panel`` live for the value chosen.
- In the static HTML book, a plotly figure with a precomputed slider over ``values`` stays
  interactive without a kernel.
Both call the same ``panel``, so they cannot disagree. Extra knobs (``more_knobs``) appear
only in the live widget; the static slider holds them at their first value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from numbers import Real
from typing import Any, NamedTuple

import plotly.graph_objects as go
from plotly.basedatatypes import BaseTraceType

from paperlib import checks
from paperlib.plotting import show

STATIC_NOTE = (
    '<div class="admonition note"><p class="admonition-title">실시간 컨트롤</p>'
    "<p>이 자리의 슬라이더는 주피터 커널에서 노트북을 실행할 때(JupyterLab, Binder, Colab) "
    "값을 바꿀 때마다 다시 계산합니다. 이 정적 페이지에서는 아래 그림의 슬라이더를 "
    "움직여 보세요: 같은 함수로 미리 계산한 결과입니다.</p></div>"
)


class Explorer(NamedTuple):
    """What ``explore`` returns: the static figure and the live widget (or None)."""

    figure: go.Figure
    widget: Any


def _check_values(name: str, values: Sequence) -> list:
    checks.string(name, "knob name", nonempty=True)
    values = checks.sequence(values, f"values for knob {name!r}")
    if len(set(map(repr, values))) != len(values):
        raise ValueError(f"values for knob {name!r} must be distinct, got {list(values)!r}")
    return list(values)


def _check_layout(title: object, layout: object) -> None:
    checks.string(title, "title")
    if layout is not None:
        checks.instance(layout, "layout", dict, "a dict of plotly layout settings or None")


def _traces(panel: Callable, kwargs: dict) -> list:
    traces = list(panel(**kwargs))
    if not traces or not all(isinstance(t, BaseTraceType) for t in traces):
        raise TypeError(f"panel({kwargs}) must return a non-empty list of plotly traces, got {traces!r}")
    return traces


def slider_figure(
    panel: Callable,
    knob: str,
    values: Sequence,
    *,
    fixed: dict | None = None,
    active: int = 0,
    title: str = "",
    layout: dict | None = None,
    fmt: Callable[[Any], str] = lambda v: f"{v:g}" if isinstance(v, Real) else str(v),
) -> go.Figure:
    """A plotly figure holding ``panel(knob=v, **fixed)`` for every ``v`` in ``values``.

    The slider toggles which value's traces are visible, so it works in static HTML.
    Every panel must return the same number of traces.
    """
    checks.function(panel, "panel")
    values = _check_values(knob, values)
    checks.integer(active, "active (an index into values)", low=0, high=len(values) - 1)
    if fixed is not None:
        checks.instance(fixed, "fixed", dict, "a dict of knob values or None")
    _check_layout(title, layout)
    checks.function(fmt, "fmt")
    fixed = dict(fixed or {})
    groups = [_traces(panel, {**fixed, knob: v}) for v in values]
    sizes = {len(g) for g in groups}
    if len(sizes) != 1:
        raise ValueError(f"panel must return the same number of traces for every value, got sizes {sorted(sizes)}")
    per = sizes.pop()
    fig = go.Figure()
    for i, group in enumerate(groups):
        for trace in group:
            trace.visible = i == active
            fig.add_trace(trace)
    steps = [
        dict(
            method="update",
            label=fmt(v),
            args=[{"visible": [j // per == i for j in range(per * len(values))]}, {"title.text": f"{title} ({knob} = {fmt(v)})"}],
        )
        for i, v in enumerate(values)
    ]
    fig.update_layout(
        title=f"{title} ({knob} = {fmt(values[active])})",
        sliders=[dict(active=active, steps=steps, currentvalue=dict(prefix=f"{knob} = "), pad=dict(t=40))],
        template="plotly_white",
        **(layout or {}),
    )
    return fig


def live_widget(
    panel: Callable,
    knobs: dict[str, Sequence],
    *,
    title: str = "",
    layout: dict | None = None,
):
    """An ipywidgets control per knob; every change redraws ``panel(**knob_values)`` live.

    Numeric knobs get a float slider spanning their values (any value in between is computed
    live); other knobs get a dropdown. Returns the widget box (displayed by ``explore``).
    """
    checks.function(panel, "panel")
    checks.instance(knobs, "knobs", dict, "a dict {knob name: values}")
    _check_layout(title, layout)
    import ipywidgets as widgets

    controls = {}
    for name, values in knobs.items():
        values = _check_values(name, values)
        if all(isinstance(v, Real) for v in values):
            ordered = sorted(values)
            gaps = [b - a for a, b in zip(ordered, ordered[1:])] or [1.0]
            step = min(gaps) / 2 if len(values) > 1 else 1.0
            controls[name] = widgets.FloatSlider(
                value=values[0], min=ordered[0], max=ordered[-1], step=step, description=name, continuous_update=False
            )
        else:
            controls[name] = widgets.Dropdown(options=values, value=values[0], description=name)
    out = widgets.Output()

    def redraw(**kwargs):
        label = ", ".join(f"{k} = {v:g}" if isinstance(v, Real) else f"{k} = {v}" for k, v in kwargs.items())
        fig = go.Figure(_traces(panel, kwargs))
        fig.update_layout(title=f"{title} ({label})", template="plotly_white", **(layout or {}))
        with out:
            out.clear_output(wait=True)
            show(fig)

    widgets.interactive_output(redraw, controls)
    return widgets.VBox([widgets.HBox(list(controls.values())), out])


def explore(
    panel: Callable,
    knob: str,
    values: Sequence,
    *,
    more_knobs: dict[str, Sequence] | None = None,
    title: str = "",
    layout: dict | None = None,
    active: int = 0,
) -> Explorer:
    """Show a live widget (in a kernel) and a static slider figure (everywhere) for ``panel``.

    panel: ``panel(**{knob: value, **more}) -> list of plotly traces``.
    values: the values the static slider precomputes (and the live slider's range).
    more_knobs: extra knobs for the live widget; the static figure uses their first values.
    """
    checks.function(panel, "panel")
    if more_knobs is not None:
        checks.instance(more_knobs, "more_knobs", dict, "a dict {knob name: values} or None")
    more_knobs = dict(more_knobs or {})
    fixed = {name: _check_values(name, vals)[0] for name, vals in more_knobs.items()}
    figure = slider_figure(panel, knob, values, fixed=fixed, active=active, title=title, layout=layout)
    widget = _display_live(panel, {knob: values, **more_knobs}, title=title, layout=layout)
    show(figure)
    return Explorer(figure, widget)


def _display_live(panel: Callable, knobs: dict, **kwargs):
    """Display the live widget with a note as its static fallback (the book shows the note)."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # plain Python: nothing to display a widget in
        return None
    if get_ipython() is None:
        return None
    widget = live_widget(panel, knobs, **kwargs)
    bundle = {
        "application/vnd.jupyter.widget-view+json": {"version_major": 2, "version_minor": 0, "model_id": widget.model_id},
        "text/html": STATIC_NOTE,
        "text/plain": "실시간 컨트롤: 커널에서 실행하면 나타납니다.",
    }
    display(bundle, raw=True)
    return widget
