"""``graphscan extract FILE --url URL`` prints the page's JSON; bad input maps to the documented exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from graphscan.cli import run

PAGES = Path(__file__).parent.parent / "data" / "pages"


def test_extract_prints_links_and_comments_as_json(capsys):
    code = run(
        [
            "extract",
            str(PAGES / "dotclear.html"),
            "--url",
            "http://julien.example.net/index.php?post/2008/02/05/libre",
            "--compact",
        ]
    )
    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    assert (doc["platform"], doc["blog"], doc["language"]) == ("dotclear", "julien.example.net", "fr")
    assert {
        "url": "http://leon.example.com/",
        "kind": "comment_author",
        "anchor": "Léon",
        "rel": "nofollow",
    } in doc["links"]
    # the pingback is listed with its kind; it is no Comment record, its link is a trackback
    assert [(c["author"], c["kind"]) for c in doc["comments"]] == [
        ("Léon", "comment"),
        ("Marion", "comment"),
        ("Le blog de Nadia", "trackback"),
    ]
    assert doc["trackbacks"] == 1
    assert {link["kind"] for link in doc["links"] if link["url"].startswith("http://nadia.example.fr/")} == {
        "trackback"
    }


def test_declared_charset_option_is_used(capsys):
    page = PAGES / "latin1.html"
    assert (
        run(
            [
                "extract",
                str(page),
                "--url",
                "http://cafe-helene.fr/b.html",
                "--content-type",
                "text/html; charset=iso-8859-1",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["comments"][0]["author"] == "Hélène"


def test_missing_file_is_an_input_file_error(capsys, tmp_path):
    assert run(["extract", str(tmp_path / "absent.html"), "--url", "http://a.fr/"]) == 66
    assert "cannot read" in capsys.readouterr().err


def test_bad_url_is_an_invalid_url_error(capsys):
    assert run(["extract", str(PAGES / "wordpress.html"), "--url", "mailto:alice@example.fr"]) == 65
    assert "not an http(s) URL" in capsys.readouterr().err
