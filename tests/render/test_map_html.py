"""render_map: one self-contained, escaped, CSP-locked HTML file, written atomically."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

from graphscan.errors import UsageError
from graphscan.model import Blog, Mention
from graphscan.render.map_page import json_data
from graphscan.render.maps import build_map_data, render_map
from graphscan.store.base import BlogEdges

EVIL = '</script><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> href \u2028&amp;'


def _hostile_data(heading: str = EVIL) -> dict:
    key = "evil.fr/<svg onload=window.__pwned=3>"
    edges = BlogEdges.from_pairs([], [(key, "good.fr", "citation"), ("good.fr", key, "blogroll")])
    blogs = {key: Blog(key=key, url="javascript:alert(1)", title=EVIL)}
    mentions = [
        Mention(
            key="m", brand=EVIL, page="javascript:window.__pwned=4", blog=key, snippet=EVIL, sentiment=0.3
        )
    ]
    return build_map_data(
        edges,
        {"pagerank": np.array([0.5, 0.5])},
        color="sentiment",
        mentions=mentions,
        blogs=blogs,
        heading=heading,
    )


EXPECTED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "h1", "p", "aside", "label", "input",
    "ol", "fieldset", "legend", "select", "div", "section", "h2", "ul", "main", "script",
    "h3", "button", "table", "thead", "tbody",  # the legend's link kinds, the blog table and its toggle
}  # fmt: skip


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def _tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _TagCollector()
    parser.feed(html)
    return parser.tags


def _scripts(html: str) -> list[tuple[str, str]]:
    return re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)


def test_map_is_one_file_with_no_external_resource(tmp_path):
    out = render_map(_hostile_data(), tmp_path / "map.html")
    html = out.read_text(encoding="utf-8")
    assert os.listdir(tmp_path) == ["map.html"]
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    tags = _tags(html)
    assert not {"link", "iframe", "object", "embed", "img", "base", "svg"} & {tag for tag, _ in tags}
    assert not [
        value for _, attrs in tags for _, value in attrs if value and re.match(r"\s*(https?:)?//", value)
    ]


def test_crawled_text_appears_only_escaped_inside_json_blocks(tmp_path):
    html = render_map(_hostile_data(), tmp_path / "map.html").read_text(encoding="utf-8")
    scripts = _scripts(html)
    assert len(scripts) == 6
    data_blocks = [body for attrs, body in scripts if 'type="application/json"' in attrs]
    code_blocks = [body for attrs, body in scripts if "type=" not in attrs]
    assert len(data_blocks) == 4 and len(code_blocks) == 2
    for body in data_blocks:
        assert not re.search(r"[<>&\u2028\u2029]", body)
        json.loads(body)
    assert "__pwned" not in "".join(code_blocks)
    tags = _tags(html)
    assert {tag for tag, _ in tags} <= EXPECTED_TAGS
    assert not [name for _, attrs in tags for name, _ in attrs if name.startswith("on")]
    assert '<h1 id="gs-heading">&lt;/script&gt;&lt;script&gt;window.__pwned=1' in html  # escaped heading


def test_csp_allows_exactly_the_inline_scripts_and_no_connections(tmp_path):
    html = render_map(_hostile_data(), tmp_path / "map.html").read_text(encoding="utf-8")
    csp = (
        re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
        .group(1)
        .replace("&#39;", "'")
    )
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'none'" and directives["connect-src"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    hashes = set(re.findall(r"'sha256-([^']+)'", directives["script-src"]))
    code = [body for attrs, body in _scripts(html) if "type=" not in attrs]
    assert hashes == {base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() for body in code}


def test_json_data_escapes_html_breakers_and_line_separators():
    text = str(json_data({"k": "</script><!-- & \u2028\u2029 é"}))
    assert not re.search(r"[<>&\u2028\u2029é]", text)
    assert json.loads(text) == {"k": "</script><!-- & \u2028\u2029 é"}


def test_writing_under_the_c_locale_produces_utf8(tmp_path):
    script = tmp_path / "write.py"
    script.write_text(
        "import numpy as np, sys\n"
        "from graphscan.store.base import BlogEdges\n"
        "from graphscan.render.maps import build_map_data, render_map\n"
        "e = BlogEdges.from_pairs([], [('h\\u00e9lo\\u00efse.fr', 'zo\\u00e9.fr', 'citation')])\n"
        "heading = 'Blogs d\\u2019\\u00e9t\\u00e9 \\u2713'\n"
        "render_map(build_map_data(e, {'d': np.array([1.0, 2.0])}, color='none', heading=heading), sys.argv[1])\n",
        encoding="ascii",
    )
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0",
           "PYTHONIOENCODING": "ascii"}  # fmt: skip
    out = tmp_path / "été.html"
    subprocess.run(
        [sys.executable, str(script), os.fsencode(out)], check=True, env=env, cwd=Path(__file__).parents[2]
    )
    html = out.read_bytes().decode("utf-8")
    assert "Blogs d\u2019été ✓" in html


def test_relative_output_path_writes_only_that_file_and_no_lib_folder(tmp_path, monkeypatch):
    work, other = tmp_path / "work", tmp_path / "x"
    work.mkdir()
    other.mkdir()
    (work / "lib").mkdir()
    (work / "lib" / "keep.txt").write_text("mine")
    monkeypatch.chdir(work)
    render_map(_hostile_data("polblogs"), "../x/out.html")
    assert sorted(p.name for p in other.iterdir()) == ["out.html"]
    assert sorted(str(p.relative_to(work)) for p in work.rglob("*")) == ["lib", "lib/keep.txt"]


def test_rendering_leaves_the_map_data_untouched(tmp_path):
    data = _hostile_data()
    before = copy.deepcopy(data)
    render_map(data, tmp_path / "map.html")
    assert data == before


def test_rewriting_a_map_replaces_it_whole(tmp_path):
    target = tmp_path / "map.html"
    target.write_text("old map")
    render_map(_hostile_data("second"), target)
    assert "<title>second</title>" in target.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]


@pytest.mark.parametrize("name", ["map.txt", "missing/map.html"])
def test_bad_output_paths_are_usage_errors(tmp_path, name):
    with pytest.raises(UsageError):
        render_map(_hostile_data(), tmp_path / name)
    with pytest.raises(UsageError):
        render_map(_hostile_data(), Path(tmp_path / "dir.html").mkdir() or tmp_path / "dir.html")
