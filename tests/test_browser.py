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
    state = "el => JSON.stringify([el.layout.sliders[0].active, el.data.map(t => t.visible), el.querySelector('.main-svg').innerHTML])"
    before = figure.evaluate(state)
    steps = figure.evaluate("el => el.layout.sliders[0].steps.length")
    target = 0 if figure.evaluate("el => el.layout.sliders[0].active") == steps - 1 else steps - 1
    box = figure.locator("rect.slider-rail-rect").first.bounding_box()
    x = box["x"] + (box["width"] - 2 if target else 2)
    page.mouse.click(x, box["y"] + box["height"] / 2)
    page.wait_for_timeout(300)
    assert figure.evaluate("el => el.layout.sliders[0].active") == target, "the slider did not move"
    assert figure.evaluate(state) != before, "moving the slider did not change the figure"


def test_search_finds_a_chapter(server, browser):
    visit = PageVisit(browser, f"{server}/search.html?q=distillation")
    try:
        visit.page.wait_for_selector("#search-results li", timeout=10_000)
        results = visit.page.locator("#search-results li").all_inner_texts()
        assert any("증류" in r for r in results), results
        assert visit.errors == [] and visit.outside == []
    finally:
        visit.page.close()
