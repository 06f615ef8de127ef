"""The Korean search splitter (book/_ext/korean_search.py): index side and query side agree.

The index is built in Python (SearchKorean.split/stem), the query is split in the browser
(JS_SPLITTER, JS_STEMMER in language_data.js); a term found only by one of them is lost.
Here both run on the same samples, the JavaScript in headless Chromium (no book needed).
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "book" / "_ext"))
import korean_search  # noqa: E402
from korean_search import SearchKorean, split_korean  # noqa: E402

CHROMIUM = "/usr/bin/chromium"

SAMPLES = [
    "양자화",
    "양자화를",
    "양자화기는 코드북의 벡터를 고릅니다.",
    "기울기",
    "온도 T가 크면 분포가 평평해지고",
    "ELBO를 최대화",
    "VQ-VAE, softmax와 NMS",
    "distillation losses",
    "2단계 학습률 0.001",
    "손",
    "a_b 3.5배",
    "잠재 변수 z(latent)",
]


def _index_terms(text):
    lang = SearchKorean({})
    return [lang.stem(w).lower() for w in lang.split(text) if lang.word_filter(lang.stem(w).lower())]


def test_particles_keep_the_terms_of_the_word():
    for word, inflected in [("양자화", "양자화를"), ("양자화", "양자화기"), ("기울기", "기울기는"), ("코드북", "코드북의"),
                            ("학습", "사전학습"), ("재구성", "재구성된")]:
        assert set(split_korean(word)) <= set(split_korean(inflected)), (word, inflected)
    assert split_korean("양자화") == ["양자", "자화"]
    assert split_korean("손") == ["손"]


def test_latin_words_are_unchanged():
    assert split_korean("VQ-VAE softmax NMS ELBO") == ["VQ", "VAE", "softmax", "NMS", "ELBO"]
    assert split_korean("ELBO를") == ["ELBO", "를"]
    lang = SearchKorean({})
    assert lang.stem("distillation") == "distil"  # Porter stemming, as Sphinx's English fallback
    assert lang.stem("양자화") == "양자화"


def test_javascript_splitter_and_stemmer_agree_with_python():
    from playwright.sync_api import sync_playwright

    script = korean_search.JS_SPLITTER + korean_search.JS_STEMMER + """
        const stemmer = new Stemmer();
        window.__terms = SAMPLES.map((s) => splitQuery(s.trim()).map((t) => stemmer.stemWord(t.toLowerCase())));
    """
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            page.set_content("<html><body></body></html>")
            page.add_script_tag(content=f"var SAMPLES = {json.dumps(SAMPLES)};\n{script}")
            js_terms = page.evaluate("window.__terms")
        finally:
            browser.close()
    assert len(js_terms) == len(SAMPLES)
    for sample, js in zip(SAMPLES, js_terms):
        lang = SearchKorean({})
        py = [lang.stem(w).lower() for w in lang.split(sample)]
        assert js == py, sample
        # every query term is a term the index can hold (not dropped by the index's word filter)
        assert all(t in _index_terms(sample) for t in js if not t.isdigit()), sample

