"""The built book in a real browser: Debian's headless Chromium, driven by Playwright, no network.

Needs `make book` first (make test does it). For every chapter page: no JavaScript errors,
no request leaves localhost, every plotly figure rendered, moving a slider redraws its
figure, every image loaded, title and headings present, math typeset. A full-page
screenshot of each page is saved to _build/screenshots/ as a build artefact.
"""

import functools
import http.server
import re
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHAPTERS = re.findall(r"file:\s*(notebooks/\w+|book/\w+)", (ROOT / "_toc.yml").read_text()) + ["book/intro"]

pytestmark = pytest.mark.book

# Messages from the theme's own scripts (sphinx-thebe declares a const twice when the
# page loads it through two extensions; pydata-sphinx-theme warns before a theme is stored).
# They are not our content; anything else fails the test.
THEME_NOISE = ("Identifier 'THEBE_JS_URL' has already been declared", "Got invalid theme mode")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    if not (HTML / "index.html").exists():
        pytest.fail("the book is not built: run `make book` (make test builds it first)")
    handler = functools.partial(QuietHandler, directory=str(HTML))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield b
        b.close()


class PageVisit:
    """Open one page with the network blocked, recording errors and outside requests."""

    def __init__(self, browser, url):
        self.errors, self.outside = [], []
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.page.route("**/*", self._route)
        self.page.on("pageerror", lambda exc: self._error(f"pageerror: {exc}"))
        self.page.on("console", lambda msg: msg.type == "error" and self._error(f"console: {msg.text}"))
        self.page.goto(url, wait_until="load")
        # MathJax typesets asynchronously; plotly draws synchronously on load.
        self.page.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise : null")
        self.page.wait_for_timeout(300)

    def _error(self, text):
        if not any(noise in text for noise in THEME_NOISE):
            self.errors.append(text)

    def _route(self, route):
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost") or route.request.url.startswith("data:"):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()


@pytest.mark.parametrize("doc", CHAPTERS)
def test_page_renders_offline(server, browser, doc):
    visit = PageVisit(browser, f"{server}/{doc}.html")
    page = visit.page
    try:
        title = page.title()
        h1 = page.locator("main h1").first.inner_text()
        assert h1.strip() and h1.split()[0].rstrip("#") in title
        assert visit.outside == [], f"requests left the machine: {visit.outside}"
        assert visit.errors == [], f"JavaScript errors: {visit.errors}"
        assert page.locator("main h2").count() >= (6 if doc.startswith("notebooks/") else 0)

        images = page.evaluate("Array.from(document.images).map(i => [i.src, i.complete && i.naturalWidth > 0])")
        assert all(ok for _, ok in images), f"images not loaded: {[s for s, ok in images if not ok]}"
        assert "Traceback" not in page.locator("main").inner_text()

        if doc.startswith("notebooks/"):
            _check_chapter(page)
    finally:
        page.evaluate("window.scrollTo(0, 0)")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{doc.replace('/', '_')}.png"), full_page=True)
        page.close()


def _check_chapter(page):
    import yaml

    repo = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"].removeprefix("https://github.com/")
    hrefs = page.evaluate("Array.from(document.querySelectorAll('a')).map(a => a.href)")
    assert any("mybinder.org" in h and repo in h for h in hrefs), "Binder launch button missing"
    assert any("colab.research.google.com" in h and repo in h for h in hrefs), "Colab launch button missing"
    assert any(h.endswith(".ipynb") and "_sources" in h for h in hrefs), "download .ipynb button missing"
    figures = page.locator("div.plotly-graph-div")
    assert figures.count() >= 1, "a chapter shows at least the explorer's plotly figure"
    for i in range(figures.count()):
        assert figures.nth(i).locator("svg.main-svg").count() >= 1, f"plotly figure {i} did not render"
    assert page.locator("img").count() >= 1, "a chapter shows matplotlib figures"
    assert page.locator("mjx-container").count() >= 1, "MathJax did not typeset the equations"
    numbers = page.locator("span.eqno").all_inner_texts()
    assert not numbers or numbers[0].startswith("(1)"), f"equations must be numbered per chapter, got {numbers[:3]}"
    assert page.locator("text=실시간 컨트롤").count() >= 1, "the live widget's static note is missing"
    stderr = page.locator("div.cell_output div.stderr").all_inner_texts()
    assert stderr == [], f"a chapter writes to stderr (warnings?): {stderr}"
    outputs = " ".join(page.locator("div.cell_output").all_inner_texts())
    for bad in ("HBox(", "glyph", "findfont"):
        assert bad not in outputs, f"a chapter output contains {bad!r} (a widget repr or a font problem)"

    sliders = page.locator("div.plotly-graph-div:has(g.slider-container)")
    assert sliders.count() >= 1, "the explorer figure has a slider"
    for i in range(sliders.count()):
        _move_slider_to_the_other_end(page, sliders.nth(i))


def _move_slider_to_the_other_end(page, figure):
    figure.scroll_into_view_if_needed()
    # what the figure draws, without the slider's own handle and buttons (they move whatever the steps do)
    state = ("el => { const svg = el.querySelector('.main-svg').cloneNode(true);"
             " svg.querySelectorAll('.slider-container, .updatemenu-container').forEach(n => n.remove());"
             " return JSON.stringify([el.data.map(t => t.visible), svg.innerHTML]); }")
    before = figure.evaluate(state)
    steps = figure.evaluate("el => el.layout.sliders[0].steps.length")
    target = 0 if figure.evaluate("el => el.layout.sliders[0].active") == steps - 1 else steps - 1
    box = figure.locator("rect.slider-rail-rect").first.bounding_box()
    x = box["x"] + (box["width"] - 2 if target else 2)
    page.mouse.click(x, box["y"] + box["height"] / 2)
    page.wait_for_timeout(300)
    assert figure.evaluate("el => el.layout.sliders[0].active") == target, "the slider did not move"
    assert figure.evaluate(state) != before, "moving the slider did not change the figure"


@pytest.mark.parametrize("doc", ["notebooks/video_twostream", "notebooks/video_3d"])
def test_video_clips_play_without_a_kernel(server, browser, doc):
    """The video chapters preview their clips as plotly animations: pressing play advances the frames."""
    page = PageVisit(browser, f"{server}/{doc}.html").page
    try:
        clips = page.locator("div.plotly-graph-div").filter(has=page.locator("g.updatemenu-container"))
        assert clips.count() >= 1, "no clip animation (a plotly figure with a play button) on the page"
        clip = clips.first
        clip.scroll_into_view_if_needed()
        frames = clip.evaluate("el => el._transitionData._frames.length")
        assert frames >= 8, f"the animation has {frames} frames"
        image = "el => el.querySelector('.main-svg .cartesianlayer').innerHTML"
        before = clip.evaluate(image)
        clip.locator("g.updatemenu-button").first.click()  # ▶ 재생
        page.wait_for_timeout(1500)
        assert clip.evaluate("el => el.layout.sliders[0].active") > 0, "the frame slider did not advance while playing"
        assert clip.evaluate(image) != before, "playing did not redraw the clips"
    finally:
        page.close()


def test_claims_page_lists_every_claim_of_every_chapter(server, browser):
    """The claims page has one table per chapter, a row per claim written by this build's run of the
    chapter (_build/claims/*.json), a status for each, and a link to the chapter's claims section."""
    import json

    chapters = [c.removeprefix("notebooks/") for c in CHAPTERS if c.startswith("notebooks/")]
    records = {c: json.loads((ROOT / "_build" / "claims" / f"{c}.json").read_text()) for c in chapters}
    visit = PageVisit(browser, f"{server}/book/claims.html")
    page = visit.page
    try:
        assert visit.errors == [] and visit.outside == []
        for chapter, record in records.items():
            section = page.locator(f"section#claims-{chapter}")
            assert section.count() == 1, f"no table for {chapter}"
            rows = section.locator("table.claims-table tbody tr")
            assert rows.count() == len(record["claims"]) >= 1, f"{chapter}: {rows.count()} rows for {len(record['claims'])} claims"
            for i, claim in enumerate(record["claims"]):
                text = rows.nth(i).inner_text()
                assert claim["label"] in text and claim["status"] in text and claim["measured"] in text, text
                assert claim["status"] != "실패", f"{chapter} {claim['label']} failed but the book was built"
            link = section.locator("h2 a, h1 a, a.reference").first.get_attribute("href")
            target = browser.new_page()
            target.goto(f"{server}/book/{link}")
            anchor = link.split("#")[1]
            heading = target.evaluate(
                "id => { const el = document.getElementById(id); const s = el && (el.closest('section') || el);"
                " const h = s && s.querySelector('h1, h2, h3'); return h ? h.innerText : null; }", anchor)
            assert heading and "논문 주장 확인" in heading, f"{chapter}: the link {link} does not reach the claims section ({heading!r})"
            target.close()
    finally:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "claims_page.png"), full_page=True)
        page.close()


def test_search_finds_a_chapter(server, browser):
    visit = PageVisit(browser, f"{server}/search.html?q=distillation")
    try:
        visit.page.wait_for_selector("#search-results li", timeout=10_000)
        results = visit.page.locator("#search-results li").all_inner_texts()
        assert any("증류" in r for r in results), results
        assert visit.errors == [] and visit.outside == []
    finally:
        visit.page.close()


# Everyday technical terms used across the chapters, each written with particles or suffixes
# attached on some pages (양자화를, 기울기는, 코드북의, 사전학습 ...). Chosen from the words the
# chapters share (the brief's list plus the common terms the default whitespace search missed
# most); on it default Sphinx search had recall 0.67, precision 1.00 (book/_ext/korean_search.py).
KOREAN_SEARCH_TERMS = [
    "양자화", "기울기", "잠재", "코드북", "온도", "증류", "재구성", "분포", "손실", "정확도", "앵커", "검출",
    "분할", "변환", "학습", "인코더", "디코더", "가중치", "샘플", "클래스", "예측", "평가", "경계", "데이터",
]


def _article_texts():
    """Visible main-article text of every built page (ground truth for search)."""
    from bs4 import BeautifulSoup

    texts = {}
    for f in sorted([*HTML.glob("notebooks/*.html"), *HTML.glob("book/*.html")]):
        article = BeautifulSoup(f.read_text(encoding="utf-8"), "html.parser").select_one("article.bd-article")
        if article is None:
            continue
        for el in article.select("script, style, .headerlink"):
            el.decompose()
        texts[f.relative_to(HTML).as_posix()] = article.get_text(" ").lower()
    return texts


def test_korean_search_recall_precision(server, browser):
    """A term is found where particles or suffixes are attached, and pages without it are not listed."""
    from urllib.parse import quote

    texts = _article_texts()
    visit = PageVisit(browser, f"{server}/search.html")
    page = visit.page
    tp = fp = fn = 0
    try:
        for term in KOREAN_SEARCH_TERMS:
            page.goto(f"{server}/search.html?q={quote(term)}", wait_until="load")
            # the summary line is written once the search has finished (found or not)
            page.wait_for_function(
                "() => { const s = document.querySelector('#search-results p.search-summary');"
                " return s && s.innerText.trim().length > 0; }",
                timeout=15_000,
            )
            hrefs = page.eval_on_selector_all("#search-results li > a", "els => els.map(e => e.href)")
            found = {urlparse(h).path.lstrip("/") for h in hrefs}
            truth = {doc for doc, text in texts.items() if term.lower() in text}
            tp, fp, fn = tp + len(found & truth), fp + len(found - truth), fn + len(truth - found)
            print(f"{term}: {len(found & truth)}/{len(truth)} pages found, {len(found - truth)} extra"
                  f"{'  missed ' + str(sorted(truth - found)) if truth - found else ''}"
                  f"{'  extra ' + str(sorted(found - truth)) if found - truth else ''}")
        assert visit.errors == [] and visit.outside == []
    finally:
        page.close()
    recall, precision = tp / (tp + fn), tp / max(tp + fp, 1)
    print(f"Korean search over {len(KOREAN_SEARCH_TERMS)} terms: recall {recall:.3f}, precision {precision:.3f}")
    assert recall >= 0.95 and precision >= 0.90, (recall, precision)
