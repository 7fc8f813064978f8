"""The HTML views: valid, self-contained pages that show the failing functions and where they are wrong."""
import os
import re
import shutil
import struct
import subprocess
import zlib
from collections import Counter
from html.parser import HTMLParser

import numpy as np
import pytest
from conftest import BASE, SUBMISSIONS, patched, run_cli, statuses, verdicts

from rnncheck.views import heatmap, html as htmlreport
from rnncheck.courses.cs231n import layer_of
from rnncheck.judge.errormap import error_map

WRONG_G_SIGN = os.path.join(SUBMISSIONS, "wrong", "lstm_step_backward_g_sign_flipped.py")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
BADGE_ROW = re.compile(r'<tr><td><span class="rc-badge"[^>]*>(\S) (\w+)</span></td><td><code>(\w+)</code>')
CHROMIUM = next((p for p in (shutil.which("chromium"), "/usr/bin/chromium") if p and os.path.exists(p)), None)


class Page(HTMLParser):
    """Parses a page, recording unbalanced tags, every tag and every attribute."""

    def __init__(self, text):
        super().__init__()
        self.stack, self.unbalanced, self.tags, self.attributes = [], [], Counter(), []
        self.feed(text)
        self.close()
        self.unbalanced += self.stack

    def handle_starttag(self, tag, attrs):
        self.handle_startendtag(tag, attrs)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags[tag] += 1
        self.attributes += attrs

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        else:
            self.unbalanced.append(f"</{tag}> while open: {self.stack[-3:]}")


def assert_valid_and_self_contained(text):
    page = Page(text)
    assert page.unbalanced == []
    assert not {"script", "link", "iframe", "img", "object", "embed"} & set(page.tags)
    for name, value in page.attributes:
        assert not name.startswith("on"), name  # no event handlers: no script at all
        if name in ("href", "src", "xlink:href"):
            assert value.startswith("#") or re.fullmatch(r"[\w.-]+\.html", value), value
    assert not re.search(r"https?:|//[\w.]+/|@import|url\((?!#)", text)
    return page


@pytest.fixture(scope="module")
def wrong_page(tmp_path_factory):
    """The page of a solution whose lstm_step_backward flips the sign of the g gate."""
    directory = tmp_path_factory.mktemp("wrong")
    submission = patched(WRONG_G_SIGN, directory)
    output = directory / "report.html"
    done = run_cli(submission, "--seed", 8, "--format", "html", "--output", output)
    assert done.returncode == 1 and f"wrote {output}" in done.stderr
    return submission, output.read_text(encoding="utf-8")


def test_the_page_is_valid_html_with_no_script_and_no_external_reference(wrong_page):
    _, text = wrong_page
    page = assert_valid_and_self_contained(text)
    assert text.startswith("<!DOCTYPE html>") and page.tags["html"] == 1
    assert "@media print" in text


def test_the_page_shows_each_function_with_the_status_the_json_verdict_gives_it(wrong_page):
    submission, text = wrong_page
    _, [verdict] = verdicts(submission, "--seed", 8)
    rows = BADGE_ROW.findall(text)
    assert {name: word.lower() for _, word, name in rows} == statuses(verdict)
    symbols = {word: symbol for symbol, word, _ in rows}
    assert symbols == {"PASS": "\u2713", "FAIL": "\u2717"}  # readable without colour
    failing = [name for _, word, name in rows if word == "FAIL"]
    assert failing == ["lstm_step_backward", "lstm_backward"]


def test_each_failing_gradient_of_the_failing_functions_gets_a_heatmap(wrong_page):
    _, text = wrong_page
    for name in ("lstm_step_backward", "lstm_backward"):
        start = text.index(f"<summary>{name}: per-gradient errors and heatmaps</summary>")
        detail = text[start:text.index("</details>", start)]
        captions = re.findall(r"<figcaption><b>(\w+)</b>", detail)
        assert captions == {"lstm_step_backward": ["dx", "dprev_h", "dWx", "dWh", "db"],
                            "lstm_backward": ["dx", "dh0", "dWx", "dWh", "db"]}[name]
        assert detail.count("<svg") == len(captions) and detail.count("relative error") >= len(captions)
    step = text[text.index("<summary>lstm_step_backward"):text.index("<summary>lstm_backward")]
    assert step.count('class="rc-num rc-wrong">\u2717') == 5 * 4  # five wrong gradients in four cases
    assert re.search(r"<code>dprev_c</code></td>(<td class=\"rc-num\">[\d.e+-]+</td>){4}</tr>", step)
    assert "columns in gate blocks i, f, o, g" in text and "rows are time steps, max over N" in text
    assert text.count("<details open>") == 2  # pages show every detail: they print


def test_the_heatmap_colours_only_the_wrong_gate_block_and_frames_the_worst_cell():
    D, H = 3, 2
    expected = np.arange(1.0, 1.0 + D * 4 * H).reshape(D, 4 * H)
    got = expected.copy()
    got[:, 3 * H:] *= -1
    svg = heatmap.svg(error_map("dWx", got, expected, layer_of("lstm_step_backward")))
    assert_valid_and_self_contained(svg)
    cells = re.findall(r'<rect [^>]*fill="(#\w+)"><title>D (\d), 4H (\w) (\d): ([\d.e+-]+)</title>', svg)
    assert len(cells) == D * 4 * H
    assert {gate for fill, _, gate, _, _ in cells if fill != heatmap.MATCH} == {"g"}
    assert {gate for fill, _, gate, _, _ in cells if fill == heatmap.MATCH} == {"i", "f", "o"}
    assert svg.count('stroke="#000" stroke-width="2.5"') == 1  # the worst cell's frame
    assert [re.search(rf">{g}</text>", svg) is not None for g in "ifog"] == [True] * 4
    assert "matches" in svg and "relative error" in svg


def test_colours_run_from_the_match_grey_through_the_palette_to_the_darkest_red():
    assert heatmap.colour(1e-9, 1e-7, 1.0) == heatmap.MATCH
    assert heatmap.colour(1.0, 1e-7, 1.0) == heatmap.PALETTE[-1]
    assert heatmap.colour(2e-7, 1e-7, 1.0) not in (heatmap.MATCH, heatmap.PALETTE[-1])


def test_a_passing_page_says_passed_and_has_no_details(tmp_path):
    output = tmp_path / "ok.html"
    done = run_cli(BASE, "--seed", 8, "--format", "html", "--output", output, "--functions", "rnn_*")
    text = output.read_text(encoding="utf-8")
    assert done.returncode == 0
    assert_valid_and_self_contained(text)
    assert "\u2713 PASSED" in text and "<details" not in text and "<svg" not in text


def test_a_batch_gets_one_page_per_submission_and_an_index_counting_failures_per_function(tmp_path):
    folder = tmp_path / "submissions"
    folder.mkdir()
    shutil.copy(BASE, folder / "good.py")
    os.rename(patched(WRONG_G_SIGN, folder), folder / "bad.py")
    output = tmp_path / "site"
    done = run_cli(folder, "--seed", 8, "--format", "html", "--output", output, "--functions", "lstm_*")
    assert done.returncode == 1 and f"wrote {output / 'index.html'}" in done.stderr
    assert sorted(os.listdir(output)) == ["bad.py.html", "good.py.html", "index.html"]
    index = (output / "index.html").read_text(encoding="utf-8")
    page = assert_valid_and_self_contained(index)
    assert [v for k, v in page.attributes if k == "href"] == ["bad.py.html", "good.py.html"]
    assert "1 passed, 1 did not." in index
    counts = dict(re.findall(r'<code>(\w+)</code></td><td class="rc-num">(\d+ of \d+)</td>', index))
    assert counts == {"lstm_step_forward": "0 of 2", "lstm_step_backward": "1 of 2",
                      "lstm_forward": "0 of 2", "lstm_backward": "1 of 2"}
    for name in ("bad.py.html", "good.py.html"):
        assert_valid_and_self_contained((output / name).read_text(encoding="utf-8"))


def test_distinct_submissions_with_the_same_file_name_get_distinct_pages():
    assert htmlreport._file_names(["a/x.py", "b/x.py", "index", "odd name?.py"]) == [
        "x.py.html", "x.py-2.html", "index-2.html", "odd_name_.py.html"]  # index.html is the batch's own


def test_the_notebook_fragment_opens_the_first_failing_function_only(tmp_path):
    _, [verdict] = verdicts(patched(WRONG_G_SIGN, tmp_path), "--seed", 8, "--functions", "lstm_*")
    fragment = htmlreport.fragment(verdict)
    assert_valid_and_self_contained(fragment)
    assert fragment.count("<details open>") == 1 and fragment.count("<details>") == 1
    assert fragment.index("<details open>") < fragment.index("lstm_step_backward: per-gradient")


def png_pixels(path):
    """(width, height, rows of RGB(A) byte strings) of an 8-bit, non-interlaced PNG."""
    with open(path, "rb") as handle:
        data = handle.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, compressed = 8, b""
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0 and colour_type in (2, 6)
        elif kind == b"IDAT":
            compressed += body
    raw, step = zlib.decompress(compressed), 3 if colour_type == 2 else 4
    stride, rows, previous = width * step, [], bytes(width * step)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], np.frombuffer(raw, np.uint8, stride, y * (stride + 1) + 1)
        above = np.frombuffer(previous, np.uint8).astype(np.int64)
        if kind in (0, 2):
            row = (line.astype(np.int64) + above * (kind == 2)) % 256
        else:
            row = _unfilter(kind, line.tolist(), above.tolist(), step)
        previous = bytes(np.asarray(row, dtype=np.uint8))
        rows.append(previous)
    return width, height, rows, step


def _unfilter(kind, line, above, step):
    out = [0] * len(line)
    for i, value in enumerate(line):
        left = out[i - step] if i >= step else 0
        upper_left = above[i - step] if i >= step else 0
        if kind == 1:
            predicted = left
        elif kind == 3:
            predicted = (left + above[i]) // 2
        else:  # Paeth
            p = left + above[i] - upper_left
            pa, pb, pc = abs(p - left), abs(p - above[i]), abs(p - upper_left)
            predicted = left if pa <= pb and pa <= pc else (above[i] if pb <= pc else upper_left)
        out[i] = (value + predicted) % 256
    return out


@pytest.mark.skipif(CHROMIUM is None, reason="no headless browser: Debian's chromium package is not installed")
def test_chromium_renders_the_page_with_the_table_and_the_heatmaps(wrong_page, tmp_path):
    _, text = wrong_page
    page, screenshot = tmp_path / "report.html", tmp_path / "shot.png"
    page.write_text(text, encoding="utf-8")
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run",
                    f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={screenshot}",
                    "--window-size=1200,1600", f"file://{page}"],
                   capture_output=True, timeout=180, check=False)
    assert screenshot.exists(), "chromium wrote no screenshot"
    width, height, rows, step = png_pixels(screenshot)
    assert (width, height) == (1200, 1600)
    colours = Counter(row[i:i + 3] for row in rows[::4] for i in range(0, len(row), step * 4))
    assert len(colours) > 100  # text, badges and heatmaps; a blank page has one or two
    red = sum(n for rgb, n in colours.items() if rgb[0] > 150 and rgb[1] < 80 and rgb[2] < 80)
    grey = colours[bytes.fromhex(heatmap.MATCH[1:])]
    assert red > 50 and grey > 50  # wrong cells (and the FAIL badges) and matching cells are both drawn


def test_output_without_html_and_an_unwritable_page_are_usage_errors(tmp_path):
    done = run_cli(BASE, "--output", tmp_path / "x.html")
    assert done.returncode == 2 and "--output is for --format html" in done.stderr
    done = run_cli(BASE, "--format", "html", "--output", tmp_path / "no" / "such" / "x.html", "--functions", "sigmoid")
    assert done.returncode == 2 and "cannot write" in done.stderr


def test_text_from_the_submission_is_escaped_never_markup(write, tmp_path):
    path = write("hostile.py", "def sigmoid(x):\n    raise ValueError('<script>alert(1)</script><b onclick=x>')\n")
    output = tmp_path / "page.html"
    run_cli(path, "--seed", 1, "--format", "html", "--output", output, "--functions", "sigmoid")
    text = output.read_text(encoding="utf-8")
    assert_valid_and_self_contained(text)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b onclick=x&gt;" in text


def test_a_function_that_raises_in_one_case_shows_that_case_and_no_heatmap(tmp_path):
    path = patched(os.path.join(SUBMISSIONS, "wrong", "rnn_forward_squeeze.py"), tmp_path)
    output = tmp_path / "page.html"
    run_cli(path, "--seed", 1, "--format", "html", "--output", output, "--functions", "rnn_*")
    text = output.read_text(encoding="utf-8")
    assert [name for _, word, name in BADGE_ROW.findall(text) if word != "PASS"] == ["rnn_backward"]
    detail = text[text.index("<summary>rnn_backward"):]
    assert re.search(r"<li>N=1: a squeeze\(\) removed the batch axis[^<]+raised IndexError: [^<]+</li>", detail)
    assert "<svg" not in detail
