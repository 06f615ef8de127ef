"""Sphinx extension: the book's claims page, generated from the chapters as they execute in this build.

- At ``builder-inited`` it points ``PAPERLIB_CLAIMS_DIR`` at ``_build/claims`` (emptied first). The
  chapters' kernels inherit the variable, so each ``paperlib.claims.ClaimCheck.conclude()`` writes
  ``<chapter>.json`` there as the chapter runs.
- The page ``book/claims.md`` holds a ``{claims-table}`` directive. Pages are read (and chapters
  executed) before any is written, so at ``doctree-resolved`` every chapter's file is there: the
  directive becomes one table per chapter (claim, paper, ours, control, condition and margin,
  status), each linked to the chapter's "논문 주장 확인" section (label ``<chapter>-claims``).
- A chapter of the table of contents that wrote no claims is a build warning (an error with -W).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)
COLUMNS = ("주장", "논문", "우리 측정", "대조군", "조건", "결과")


class claims_placeholder(nodes.General, nodes.Element):
    """Replaced by the tables at doctree-resolved."""


class ClaimsTable(SphinxDirective):
    def run(self):
        return [claims_placeholder()]


def _claims_dir(app) -> Path:
    return Path(app.outdir).parent / "claims"


def _start(app):
    folder = _claims_dir(app)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    os.environ["PAPERLIB_CLAIMS_DIR"] = str(folder)


def _chapters(app) -> list[str]:
    toc = (Path(app.srcdir) / "_toc.yml").read_text(encoding="utf-8")
    return re.findall(r"file:\s*notebooks/(\w+)", toc)


def _para(text: str, strong: bool = False) -> nodes.paragraph:
    return nodes.paragraph("", "", nodes.strong(text, text) if strong else nodes.Text(text))


def _table(rows: list[list[nodes.Node]]) -> nodes.table:
    table = nodes.table(classes=["claims-table"])
    group = nodes.tgroup(cols=len(COLUMNS))
    table += group
    for _ in COLUMNS:
        group += nodes.colspec(colwidth=1)
    head = nodes.thead()
    head += nodes.row("", *[nodes.entry("", _para(c)) for c in COLUMNS])
    body = nodes.tbody()
    for cells in rows:
        body += nodes.row("", *[nodes.entry("", cell) for cell in cells])
    group += head
    group += body
    return table


def _status_cell(claim: dict) -> nodes.paragraph:
    status = claim["status"]
    para = nodes.paragraph(classes=[f"claim-{'pass' if status == '통과' else 'fail' if status == '실패' else 'reported'}"])
    para += nodes.strong(status, status)
    if claim["margin"]:
        para += nodes.Text(f" ({claim['margin']})")
    return para


def _resolve(app, doctree, docname):
    placeholders = list(doctree.findall(claims_placeholder))
    if not placeholders:
        return
    folder, std = _claims_dir(app), app.env.get_domain("std")
    content: list[nodes.Node] = []
    totals = {"통과": 0, "실패": 0, "재현되지 않음": 0, "보고만": 0}
    for chapter in _chapters(app):
        path = folder / f"{chapter}.json"
        if not path.exists():
            logger.warning(f"claims page: chapter {chapter} wrote no claims (did it run ClaimCheck.conclude()?)", location=docname)
            continue
        record = json.loads(path.read_text(encoding="utf-8"))
        target = std.labels.get(f"{chapter}-claims")
        if target is None:
            logger.warning(f"claims page: chapter {chapter} has no '({chapter}-claims)=' label before its claims section", location=docname)
            continue
        target_doc, label_id, _ = target
        uri = app.builder.get_relative_uri(docname, target_doc) + "#" + label_id
        title = app.env.titles[target_doc].astext() if target_doc in app.env.titles else chapter
        section = nodes.section(ids=[f"claims-{chapter}"])
        heading = nodes.title()
        heading += nodes.reference("", title, refuri=uri, internal=True)
        section += heading
        rows = []
        for c in record["claims"]:
            totals[c["status"]] = totals.get(c["status"], 0) + 1
            control = f"{c['control_name']}: {c['control']}" if c["control_name"] else "—"
            statement = nodes.paragraph()
            statement += nodes.strong(c["label"], c["label"])
            statement += nodes.Text(" " + c["statement"])
            rows.append([statement, _para(c["paper"]), _para(f"{c['measured_name']}: {c['measured']}"), _para(control),
                         _para(c["condition"] or "—"), _status_cell(c)])
        section += _table(rows)
        content.append(section)
    total = sum(totals.values())
    summary = _para(
        f"모두 {total}개 주장: 통과 {totals['통과']}, 실패 {totals['실패']}, 재현되지 않음 {totals['재현되지 않음']}, "
        f"판정 없이 보고만 {totals['보고만']}."
    )
    for node in placeholders:
        node.replace_self([summary, *content])


def setup(app):
    app.add_node(claims_placeholder)
    app.add_directive("claims-table", ClaimsTable)
    app.connect("builder-inited", _start)
    app.connect("doctree-resolved", _resolve)
    return {"parallel_read_safe": False, "parallel_write_safe": True}
