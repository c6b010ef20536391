"""Offline language detection from shipped stop-word profiles."""

import pytest

from graphscan.analysis.language import detect_language, fold

SAMPLES = [
    ("Le nouveau cadenas de la marque est vraiment pas terrible, on l'ouvre avec un stylo.", "fr"),
    ("J'ai changé d'opérateur pour Orange et je ne le regrette pas du tout.", "fr"),
    ("The new lock from this brand can be opened with a ballpoint pen in seconds.", "en"),
    ("I switched my phone plan last week and I have not regretted it at all.", "en"),
    ("Das neue Schloss ist nicht sicher und die Firma sagt nichts dazu.", "de"),
    ("El nuevo candado no es seguro y la empresa no dice nada.", "es"),
]


@pytest.mark.parametrize(("text", "expected"), SAMPLES)
def test_detects_the_language_of_a_sentence(text, expected):
    assert detect_language(text) == expected


def test_too_short_text_falls_back_to_the_default():
    assert detect_language("Kryptonite Evolution 2000", default="xx") == "xx"


def test_detection_ignores_case_and_accents():
    assert detect_language("LE CADENAS EST TRÈS DÉCEVANT POUR UNE MARQUE DE CETTE QUALITÉ") == "fr"


def test_fold_removes_accents_and_case():
    assert fold("Ça Évolue À Noël") == "ca evolue a noel"


SHORT_SOCIAL = [
    ("@AsimRang @apple @umber the desktop app is wack though", "en"),
    ("Car is sweet SYNC is #EpicFail http://t.co/L86OWQRE", "en"),
    ("#Twitter is Fawkin up!!!", "en"),
    ("rien à reprocher ...", "fr"),
    ("bonne serie ! ! a voir absolument", "fr"),
    ("Trop bien la nouvelle Livebox", "fr"),
]


@pytest.mark.parametrize(("text", "expected"), SHORT_SOCIAL)
def test_detects_short_social_text(text, expected):
    # stop-word profiles alone left these undecided (fewer than two stop words)
    assert detect_language(text) == expected


@pytest.mark.parametrize("text", ["Kryptonite!", "Apple", "Orange Livebox", "!!!", "#iPhone4S"])
def test_a_bare_name_is_undecided_and_takes_the_blogs_language(text):
    assert detect_language(text, default="xx") == "xx"


def test_detection_on_the_shared_labelled_set_reaches_95_percent():
    import json

    from tests.conftest import shared_path

    folder = shared_path("sentiment")
    items = [json.loads(line) for f in sorted(folder.glob("*.jsonl")) for line in f.open(encoding="utf-8")]
    right = sum(detect_language(item["text"]) == item["lang"] for item in items)
    assert right / len(items) >= 0.95


def test_brands_scan_gives_an_undecided_post_its_blogs_language(tmp_path, capsys):
    from graphscan.cli import run
    from graphscan.model import Blog, Mention, Page
    from graphscan.store.sqlite import SQLiteStore

    store = str(tmp_path / "graph.db")
    long_post = (
        "Le cadenas Kryptonite que j'ai acheté la semaine dernière est vraiment solide et je le recommande."
    )
    with SQLiteStore(store) as db:
        db.write(
            [
                Blog(key="velo.fr", url="http://velo.fr/"),
                Page(url="http://velo.fr/1", blog="velo.fr", title="Mon antivol", text=long_post),
                Page(url="http://velo.fr/2", blog="velo.fr", title="Suite", text="Kryptonite !!!"),
            ]
        )
    assert run(["brands", "scan", "--brand", "Kryptonite", "--store", store]) == 0, capsys.readouterr().err
    with SQLiteStore(store) as db:
        languages = {m.page: m.language for m in db.iter_records(Mention)}
    assert languages == {"http://velo.fr/1": "fr", "http://velo.fr/2": "fr"}


@pytest.mark.parametrize(
    ("text", "blog_language"), [("wack", "en"), ("Super, merci Orange", "fr"), ("Bof.", "fr")]
)
def test_the_blogs_language_gives_way_only_to_a_sure_model(text, blog_language):
    assert detect_language(text, default=blog_language) == blog_language
