"""The headless-Chromium harness (tests/browser.py) on tiny hand-written pages.

The report tests rely on it to say "no console errors" and "nothing but the file was
requested"; these tests show it would notice if there were.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest

from tests.browser import BrowserError, JavaScriptError, find_chromium

pytestmark = pytest.mark.slow  # headless Chromium

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def html(path: Path, body: str, head: str = "") -> Path:
    path.write_text(
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>t</title>{head}</head>'
        f"<body>{body}</body></html>",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def open_page(browser):
    """browser.open, with every page closed after the test."""
    pages = []

    def make(path: Path, **size):
        page = browser.open(path, **size)
        pages.append(page)
        return page

    yield make
    for page in pages:
        page.close()


def test_inline_svg_marks_are_counted_and_laid_out(open_page, tmp_path):
    marks = "".join(f'<rect class="mark" x="{10 + 30 * i}" y="10" width="20" height="{10 + 5 * i}"/>' for i in range(7))
    page = open_page(html(tmp_path / "图表.html", f'<svg width="300" height="120" viewBox="0 0 300 120">{marks}</svg>'))
    assert page.evaluate("document.querySelectorAll('svg rect.mark').length") == 7
    # An SVGRect's fields are prototype getters: JSON would give {}, so read them one by one.
    box = page.evaluate(
        "(b => [b.x, b.y, b.width, b.height])(document.querySelector('rect.mark:last-child').getBBox())"
    )
    assert box == [190, 10, 20, 40]
    assert page.evaluate("Promise.resolve(6 * 7)") == 42
    assert page.console_errors == []


def test_a_clean_page_has_no_errors_and_requests_only_itself(open_page, tmp_path):
    path = html(tmp_path / "clean.html", "<h1>考核结果</h1><p>优秀 12 人</p>", head="<style>h1 { color: #333 }</style>")
    page = open_page(path)
    assert page.console_errors == []
    assert page.requests == [path.resolve().as_uri()]
    assert page.evaluate("document.title") == "t"


def test_console_errors_and_exceptions_are_caught(open_page, tmp_path):
    script = "<script>console.log('fine'); console.error('x'); console.warn('careful'); undefinedFunction()</script>"
    errors = open_page(html(tmp_path / "noisy.html", script)).console_errors
    assert errors[0] == "console.error: x"
    assert errors[1] == "console.warning: careful"
    assert "undefinedFunction is not defined" in errors[2]
    assert len(errors) == 3


def test_a_network_reference_is_seen(open_page, tmp_path):
    page = open_page(html(tmp_path / "remote.html", '<img src="http://example.invalid/x.png" alt="">'))
    assert "http://example.invalid/x.png" in page.requests
    assert any("example.invalid" in error for error in page.console_errors)


def test_security_errors_are_caught_and_blocked_loads_still_count_as_requests(open_page, tmp_path):
    policy = """<meta http-equiv="Content-Security-Policy" content="default-src 'none'">"""
    (tmp_path / "other.css").write_text("p { color: red }")
    path = html(
        tmp_path / "csp.html",
        "<script>console.log(1)</script>",
        head=policy + '<link rel="stylesheet" href="other.css">',
    )
    page = open_page(path)
    assert len(page.console_errors) == 2
    assert all("Content Security Policy" in error for error in page.console_errors)
    assert page.requests == [path.resolve().as_uri(), (tmp_path / "other.css").resolve().as_uri()]


def test_a_call_that_never_answers_times_out(open_page, tmp_path):
    page = open_page(html(tmp_path / "page.html", "<p>x</p>"))
    with pytest.raises(BrowserError, match="no answer within 0.5 s"):
        page.evaluate("new Promise(() => {})", timeout=0.5)
    assert page.evaluate("1 + 1") == 2


def test_evaluate_raises_what_the_page_throws(open_page, tmp_path):
    page = open_page(html(tmp_path / "page.html", "<p>x</p>"))
    with pytest.raises(JavaScriptError, match="nope"):
        page.evaluate("(() => { throw new Error('nope') })()")


def test_a_missing_file_fails_to_open(browser, tmp_path):
    with pytest.raises(BrowserError, match="ERR_FILE_NOT_FOUND"):
        browser.open(tmp_path / "missing.html")


def test_full_page_screenshot_is_a_png_of_the_whole_page(open_page, tmp_path):
    page = open_page(
        html(
            tmp_path / "tall.html",
            '<div style="height: 2000px; background: #c00">高</div>',
            head="<style>body { margin: 0 }</style>",
        ),
        width=800,
        height=600,
    )
    full = page.screenshot(tmp_path / "full.png")
    data = full.read_bytes()
    assert data[:8] == PNG_SIGNATURE and len(data) > 100
    assert struct.unpack(">II", data[16:24]) == (800, 2000)  # IHDR width, height
    viewport = page.screenshot(tmp_path / "viewport.png", full_page=False).read_bytes()
    assert viewport[:8] == PNG_SIGNATURE
    assert struct.unpack(">II", viewport[16:24]) == (800, 600)


def test_printing_to_a4_pdf(open_page, tmp_path):
    page = open_page(html(tmp_path / "print.html", "<h1>三项机制</h1>" + "<p>第一行</p>" * 80))
    data = page.pdf(tmp_path / "out.pdf").read_bytes()
    assert data.startswith(b"%PDF-")
    boxes = {tuple(float(n) for n in box.split()) for box in re.findall(rb"/MediaBox \[([^\]]*)\]", data)}
    assert boxes and all(
        box[:2] == (0, 0) and abs(box[2] - 595.3) < 1 and abs(box[3] - 841.9) < 1 for box in boxes
    )  # A4 in points, every page
    assert len(re.findall(rb"/Type\s*/Page\b", data)) >= 2  # 80 paragraphs do not fit one page


def test_a_nonexistent_configured_chromium_counts_as_none(monkeypatch):
    monkeypatch.setenv("SANSHI_CHROMIUM", "/nonexistent/chromium")
    assert find_chromium() is None
