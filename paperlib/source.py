"""Show paperlib's own code in a chapter, so the text and the library cannot drift apart."""

from __future__ import annotations

import inspect


def show_source(*objects) -> None:
    """Display the source of paperlib functions/classes as one highlighted code block."""
    if not objects:
        raise ValueError("show_source needs at least one function or class")
    from IPython.display import Markdown, display

    parts = []
    for obj in objects:
        if not (inspect.isfunction(obj) or inspect.isclass(obj) or inspect.ismethod(obj)):
            raise TypeError(f"show_source takes functions or classes, got {type(obj).__name__}")
        parts.append(f"# {obj.__module__}.{obj.__qualname__}\n{inspect.getsource(obj).rstrip()}")
    display(Markdown("```python\n" + "\n\n\n".join(parts) + "\n```"))
