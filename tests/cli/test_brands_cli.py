"""The brand commands end to end on a real embedded store: brands scan, brands report, cascade."""

import json

import pytest

from graphscan.cli import run
from graphscan.model import Blog, Brand, Mention, Page, make_comment, make_link
from graphscan.store.sqlite import SQLiteStore

STORY = [
    # blog, day, text, cites
    (
        "video.fr",
        "12",
        "Le cadenas Kryptonite s'ouvre avec un stylo bille, c'est une honte, vraiment nul.",
        None,
    ),
    ("amp1.fr", "13", "Le cadenas Kryptonite est ouvert avec un stylo, quel scandale !", "video.fr"),
    ("amp2.com", "14", "Kryptonite locks can be picked with a pen: terrible and dangerous.", "amp1.fr"),
    ("amp3.com", "14", "The Kryptonite lock scandal: a pen opens it. Very disappointing.", "amp1.fr"),
    ("late.com", "15", "Kryptonite lock opened with a pen, says everyone: awful.", "amp2.com"),
    ("fan.fr", "16", "Mon vieux Kryptonite tient bon, franchement pas mal du tout.", None),
]


def url(blog):
    return f"http://{blog}/2004/09/kryptonite"


@pytest.fixture
def store(tmp_path) -> str:
    path = tmp_path / "graph.db"
    records = [Blog(key=b, url=f"http://{b}/") for b, *_ in STORY] + [
        Blog(key="cuisine.fr", url="http://cuisine.fr/")
    ]
    records += [
        Page(url=url(b), blog=b, title="Kryptonite", text=t, published=f"2004-09-{d}") for b, d, t, _ in STORY
    ]
    records += [make_link(url(b), url(c), "citation", published=f"2004-09-{d}") for b, d, _, c in STORY if c]
    records += [
        Page(
            url="http://cuisine.fr/tarte",
            blog="cuisine.fr",
            title="Tarte",
            text="Un zeste d'orange et du jus d'orange.",
            published="2004-09-10",
        ),
        make_comment(url("fan.fr"), "fan.fr", "Bob", "", "2004-09-17", "Kryptonite, c'est excellent."),
    ]
    with SQLiteStore(path) as db:
        db.write(records)
    return str(path)


def cli(capsys, *args):
    code = run(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_scan_stores_brands_and_scored_mentions(capsys, store, tmp_path):
    brands = tmp_path / "brands.toml"
    brands.write_text(
        '[[brand]]\nname = "Orange"\ncontext = ["forfait"]\nexclude = ["jus", "zeste"]\n', encoding="utf-8"
    )
    code, out, err = cli(
        capsys, "brands", "scan", "--brands", str(brands), "--brand", "Kryptonite", "--store", store
    )
    assert code == 0, err
    assert "Kryptonite: 7 mentions" in out and "Orange: 0 mentions" in out
    with SQLiteStore(store) as db:
        assert {b.key for b in db.iter_records(Brand)} == {"orange", "kryptonite"}
        mentions = list(db.iter_records(Mention))
    assert len(mentions) == 7 and sum(1 for m in mentions if m.comment) == 1
    assert {m.blog for m in mentions if m.polarity == "negative"} == {b for b, *_ in STORY[:5]}


def test_scanning_twice_keeps_one_mention_per_post(capsys, store):
    for _ in range(2):
        assert cli(capsys, "brands", "scan", "--brand", "Kryptonite", "--store", store)[0] == 0
    with SQLiteStore(store) as db:
        assert db.counts().get("Mention", len(list(db.iter_records(Mention)))) == 7


def test_report_json_has_shares_volume_and_authority(capsys, store):
    cli(capsys, "brands", "scan", "--brand", "Kryptonite", "--store", store)
    code, out, err = cli(
        capsys, "brands", "report", "KRYPTONITE", "--format", "json", "--period", "month", "--store", store
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["mentions"] == 7 and data["shares"]["negative"] == pytest.approx(5 / 7)
    assert [v["period"] for v in data["volume"]] == ["2004-09"]
    assert data["top_blogs"][0]["blog"] == "video.fr"
    assert {n["blog"] for n in data["negative_amplifiers"]} == {"amp1.fr", "amp2.com", "amp3.com", "late.com"}


def test_report_table_prints(capsys, store):
    cli(capsys, "brands", "scan", "--brand", "Kryptonite", "--store", store)
    code, out, _ = cli(capsys, "brands", "report", "Kryptonite", "--store", store)
    assert code == 0 and "Top blogs" in out and "video.fr" in out


def test_cascade_names_first_poster_and_amplifiers(capsys, store):
    cli(capsys, "brands", "scan", "--brand", "Kryptonite", "--store", store)
    code, out, err = cli(capsys, "cascade", "Kryptonite", "--format", "json", "--store", store)
    assert code == 0, err
    data = json.loads(out)
    assert data["first"]["blog"] == "video.fr"
    assert [a["blog"] for a in data["amplifiers"]] == ["amp1.fr", "amp2.com"]
    code, out, _ = cli(capsys, "cascade", "Kryptonite", "--since", "2004-09-13", "--store", store)
    assert code == 0 and "amp1.fr" in out


def test_unknown_brand_and_bad_options_are_usage_errors(capsys, store):
    assert cli(capsys, "brands", "report", "Nobody", "--store", store)[0] == 64
    assert cli(capsys, "brands", "scan", "--alias", "x", "--store", store)[0] == 64
    assert cli(capsys, "brands", "scan", "--store", store)[0] == 64
    cli(capsys, "brands", "scan", "--brand", "Kryptonite", "--store", store)
    assert cli(capsys, "cascade", "Kryptonite", "--since", "soon", "--store", store)[0] == 64
    assert cli(capsys, "brands", "report", "Kryptonite", "--format", "xml", "--store", store)[0] == 64


def test_missing_brand_file_exits_66(capsys, store, tmp_path):
    assert cli(capsys, "brands", "scan", "--brands", str(tmp_path / "none.toml"), "--store", store)[0] == 66
