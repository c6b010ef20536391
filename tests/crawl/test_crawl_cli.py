"""``graphscan crawl`` at the command line: seeds validated before any request, exit codes, summary."""

from __future__ import annotations

import pytest
from webfixture import FakeWeb

from graphscan.cli import run


@pytest.fixture
def web(monkeypatch):
    with FakeWeb() as fake:
        for name, value in fake.env().items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("GRAPHSCAN_ALLOW_ADDRESSES", fake.allow[0])
        yield fake


def test_bad_seed_lines_are_reported_with_line_numbers_and_nothing_is_crawled(web, tmp_path, capsys):
    seeds = tmp_path / "seeds.txt"
    seeds.write_text("# blogs\nhttp://a.test/\nwww.b.test\njavascript:alert(1)\n", encoding="utf-8")
    store = tmp_path / "g.db"
    code = run(["crawl", "--seeds", str(seeds), "--store", str(store), "--quiet"])
    err = capsys.readouterr().err
    assert code == 65
    assert f"{seeds}:3:" in err and f"{seeds}:4:" in err and f"{seeds}:2:" not in err
    assert web.hits == [] and not store.exists()


def test_a_missing_seeds_file_exits_66_naming_the_path(tmp_path, capsys):
    missing = tmp_path / "nope.txt"
    assert run(["crawl", "--seeds", str(missing), "--store", str(tmp_path / "g.db")]) == 66
    assert str(missing) in capsys.readouterr().err


def test_no_seed_at_all_is_an_input_error(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_text("\ufeff# nothing here\r\n\r\n", encoding="utf-8")
    assert run(["crawl", "--seeds", str(empty), "--store", str(tmp_path / "g.db")]) == 65
    assert "no seed URL" in capsys.readouterr().err


def test_a_bad_since_date_is_a_usage_error(tmp_path, capsys):
    assert run(["crawl", "http://a.test/", "--since", "last week", "--store", str(tmp_path / "g.db")]) == 64
    assert "--since" in capsys.readouterr().err


def test_a_crawl_with_failed_pages_exits_3_with_a_summary_by_failure_class(web, tmp_path, capsys):
    web.page("ok.test", "/", ["/gone"])
    web.route("down.test", "/robots.txt", "oops", status=503, headers={"Content-Type": "text/plain"})
    web.page("down.test", "/", [])
    code = run(
        [
            "crawl",
            "http://ok.test/",
            "http://down.test/",
            "--hops",
            "0",
            "--no-politeness",
            "--store",
            str(tmp_path / "g.db"),
            "--log-file",
            str(tmp_path / "crawl.log"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 3
    assert "failed: robots_unreachable" in err and "failed: http_4xx" in err
    assert "crawl completed with 2 failed page(s)" in err
    assert [h.path for h in web.hits_of("down.test")] == ["/robots.txt"]
