"""Progress bars: a widget bar in notebooks, text in a terminal (tqdm.auto).

In a notebook the bar is displayed with a display id and re-displayed when it closes, so
the saved output carries the bar's final text (``학습 100%|███| 30/30 [...]``) beside the
widget. The static HTML book, which has no kernel to draw widgets, shows that text.
"""

from __future__ import annotations

from tqdm.auto import tqdm

from paperlib import checks

if any(cls.__module__ == "tqdm.notebook" for cls in tqdm.__mro__):  # running in a notebook kernel
    from IPython.display import display

    class _Bar(tqdm):
        def __init__(self, **kwargs):
            super().__init__(display=False, **kwargs)
            self._handle = display(self.container, display_id=True)
            self.displayed = True

        def close(self):
            super().close()
            if self._handle is not None:
                self._handle.update(self.container)  # saves the final text in the output
                self._handle = None

else:
    _Bar = tqdm


def progress_bar(total: int, desc: str, disable: bool = False) -> tqdm:
    """A tqdm bar over ``total`` steps labelled ``desc``; use it as a context manager."""
    checks.nonnegative_int(total, "total")
    checks.string(desc, "desc")
    checks.boolean(disable, "disable")
    return (tqdm if disable else _Bar)(total=total, desc=desc, disable=disable)
