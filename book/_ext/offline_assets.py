"""Sphinx extension: the book's JavaScript comes from the book itself, never from a CDN.

- plotly.js, from the plotly package: paperlib.plotting.show() writes figures as text/html
  that calls ``Plotly.newPlot``, loaded on every page;
- MathJax 3, from the django-static-mathjax package (plain MathJax files; Django is not needed).

Readers' copies work offline, and the browser tests run with the network blocked.
"""

import shutil
from pathlib import Path

import plotly

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def _mathjax_dir() -> Path:
    import mathjax  # django-static-mathjax

    return Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"


def _set_mathjax_path(app, config):
    config.mathjax_path = "mathjax/tex-chtml.js"  # relative to _static


def _copy_assets(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    shutil.copyfile(PLOTLY_JS, static / "plotly.min.js")
    shutil.copytree(_mathjax_dir(), static / "mathjax", dirs_exist_ok=True)


def setup(app):
    for path in (PLOTLY_JS, _mathjax_dir() / "tex-chtml.js"):
        if not path.exists():
            raise FileNotFoundError(f"offline asset not found: {path}")
    app.add_js_file("plotly.min.js", priority=200)
    app.connect("config-inited", _set_mathjax_path)
    app.connect("build-finished", _copy_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
