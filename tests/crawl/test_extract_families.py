"""Comments of the markup families no platform rule knows, found by their shape, through ``graphscan extract``.

Each page under ``tests/data/pages/families`` is a hand-written page of one family seen failing on
real blogs: Disqus's server-side fallback, Livefyre, classic Typepad (no container), Blogger's 2012
threaded layout (rendered, and as its script literal), ``dl/dt/dd`` lists and theme-specific lists;
and a WordPress list whose rule misses authors and an item, which the shape finder completes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphscan.cli import run

FAMILIES = Path(__file__).parent.parent / "data" / "pages" / "families"
BLOGGER_URL = "http://fisch.example.blogspot.com/2012/10/backwards.html"
BLOGGER = [
    (
        "Joan",
        "http://www.blogger.com/profile/06782791607822337402",
        "2012-10-28",
        "It feels like a massive game of Mother, May I?",
    ),
    ("Brandt", "http://brandt.example.com/", "2012-10-28", "Who decides what we really need to teach?"),
]
CASES = {
    "disqus_fallback": (
        "http://battellemedia.example.com/archives/2012/10/time.php",
        [
            ("artsyphotos", "", "", "Is this the same book project you were hiring help for last spring?"),
            (
                "datron",
                "http://datron.example.org/",
                "",
                "Thanks for the invitation to the trip. See my notes.",
            ),
        ],
    ),
    "livefyre": (
        "http://gear.example.com/2012/11/camera/",
        [
            (
                "Marta",
                "http://marta.example.com/",
                "2012-11-09",
                "Mine broke after a week in the rain, so yours was lucky.",
            ),
            ("Jo", "", "2012-11-10", "Which lens did you use for the night shots?"),
        ],
    ),
    "typepad_classic": (
        "http://bloom.typepad.com/blog/2012/09/walk.html",
        [
            (
                "Marry John",
                "http://marry.example.com/",
                "2012-10-31",
                "Presenting a brand consistently across all platforms is the hard part, and you make it look easy.",
            ),
            (
                "Media Buyers",
                "",
                "2012-11-02",
                "The competition on social media is high.\nOne cannot go away with a weak voice.",
            ),
        ],
    ),
    "blogger_threaded": (BLOGGER_URL, BLOGGER),
    "dl_comments": (
        "http://marche.example.fr/2008/05/samedi",
        [
            (
                "Léa",
                "http://lea.example.fr/",
                "2008-05-12",
                "Les fraises de Plougastel sont les meilleures, je maintiens.",
            ),
            ("Marc", "", "2008-05-13", "Trop chères cette année."),
        ],
    ),
    "theme_lists": (
        "http://far.example.fr/recette",
        [
            (
                "Yvonne",
                "http://yvonne.example.fr/",
                "2011-02-03",
                "Chez nous on met des raisins secs, jamais de pruneaux !",
            ),
            ("Paul", "", "2011-02-04", "Testé hier soir, succès total."),
            (
                "keeper",
                "http://fan.example.com/users/keeper",
                "2012-11-12",
                "Great breakdown of the second half, the defence finally held.",
            ),
        ],
    ),
    "rule_and_finder": (
        # the WordPress rule finds the first two items but no author in them ("Permalink" is a
        # label), and skips the third (no id): the shape finder fills and adds them; the fourth
        # signs "Ryan — <a>date</a>" with no author element
        "http://everywhere.example.com/wtf-weds-steve/",
        [
            (
                "Nicole",
                "http://nicole.example.com/",
                "2012-06-27",
                "Whatever Steve turns out to be, you will beat him.",
            ),
            ("Paul", "", "2012-06-28", "Sending all the good thoughts from Portland."),
            (
                "Rosa",
                "http://rosa.example.org/",
                "2012-06-29",
                "My sister had the same surgery and is hiking again.",
            ),
            (
                "Ryan",
                "",
                "2012-07-12",
                "I got the same answer back from the council.",
            ),  # a plain name in its meta line
        ],
    ),
}


def extract(name: str, url: str, capsys) -> dict:
    assert run(["extract", str(FAMILIES / f"{name}.html"), "--url", url, "--compact"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_comment_of_the_family_is_found_and_none_invented(name, capsys):
    url, expected = CASES[name]
    doc = extract(name, url, capsys)
    got = [(c["author"], c["author_url"], c["published"][:10], c["text"]) for c in doc["comments"]]
    assert got == expected


@pytest.mark.parametrize("name", sorted(CASES))
def test_comments_stay_out_of_the_post_text(name, capsys):
    url, expected = CASES[name]
    doc = extract(name, url, capsys)
    assert not any(text.split("\n")[0][:30] in doc["text"] for *_, text in expected)


def test_blogger_script_literal_gives_the_threaded_comments(capsys):
    doc = extract("blogger_script", BLOGGER_URL, capsys)
    got = [(c["author"], c["author_url"], c["published"][:10], c["text"]) for c in doc["comments"]]
    assert got[1] == BLOGGER[1]
    assert (
        got[0][:3] == BLOGGER[0][:3]
        and got[0][3] == "It feels like a massive game of Mother, May I? We don't move forward ."
    )
    assert {
        "url": "http://brandt.example.com/",
        "kind": "comment_author",
        "anchor": "Brandt",
        "rel": "",
    } in doc["links"]


def test_commenter_links_are_comment_author_and_links_in_comments_comment_body(capsys):
    doc = extract("disqus_fallback", *CASES["disqus_fallback"][:1], capsys=capsys)
    kinds = {link["url"]: link["kind"] for link in doc["links"]}
    assert kinds["http://datron.example.org/"] == "comment_author"
    assert kinds["http://other.example.net/notes"] == "comment_body"
    assert (
        kinds["http://someone.example.com/"] != "comment_author"
    )  # the sidebar's recent comments are no comment here


def test_the_post_own_signature_line_is_no_comment(capsys):
    doc = extract("typepad_classic", CASES["typepad_classic"][0], capsys)
    assert "Bloomberg Marketing" not in [c["author"] for c in doc["comments"]]
    assert doc["text"].startswith("Brands are built on small walks")


BODY_URL = "http://mealsandmiles.example.com/2012/11/13/north-and-south/"


def test_one_post_body_when_the_theme_puts_the_body_class_on_each_comment(capsys):
    doc = extract("comment_bodies", BODY_URL, capsys)
    assert doc["text"] == (
        "We ran the north loop on Saturday and the south loop on Sunday, twenty miles in all. "
        "Dinner was a big bowl of pasta and an even bigger slice of pie."
    )
    assert [(c["author"], c["published"][:10]) for c in doc["comments"]] == [
        ("Sam", "2012-11-13"),
        ("Ana", "2012-11-14"),
    ]


def test_the_permalink_date_wins_over_a_time_outside_the_post(capsys):
    assert extract("comment_bodies", BODY_URL, capsys)["published"] == "2012-11-13"


def test_a_page_whose_every_article_is_a_comment_still_gives_the_post(capsys):
    doc = extract("every_article_a_comment", "https://garten.example.de/2020/10/11/herbst/", capsys)
    assert "Jetzt kommt der Knoblauch in die Erde." in doc["text"]
    assert "Welche Sorte" not in doc["text"]
    assert [(c["author"], c["author_url"], c["published"][:10]) for c in doc["comments"]] == [
        ("Beet-Blog", "https://beet.example.de/", "2020-10-12"),
        ("Jonas", "", "2020-10-13"),
    ]


def test_comment_dates_printed_anywhere_outside_the_comment_text(tmp_path, capsys):
    page = tmp_path / "p.html"
    page.write_text(
        '<html><head><meta name="generator" content="WordPress 3.4"></head><body><div class="entry-content"><p>Post.</p></div>'
        '<ol class="commentlist">'
        '<li class="comment" id="comment-1"><h3><strong>Craig</strong> says:</h3><h4>on October 30, 2012 at 11:04 am</h4>'
        '<div class="inner-comment"><p>Great perspective, seen on May 3, 2001 too!</p></div></li>'
        '<li class="alt" id="comment-2"><a href="http://slavko.example.com/" class="url">Slavko</a> on November 12, 2012 8:40 am'
        '<div class="commenttext"><p>Credibility is the ultimate currency.</p></div></li>'
        '<li class="comment" id="comment-3"><div class="comment-head"><span class="date">11. Jul, 2012 / </span>'
        '<span class="name"><a href="http://big.example.com/" class="url">Bigmouth</a> says:</span></div>'
        '<div class="comment-entry"><p>Thanks for coming back.</p></div></li></ol></body></html>',
        encoding="utf-8",
    )
    assert run(["extract", str(page), "--url", "http://a.example.com/2012/10/29/p/", "--compact"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [(c["author"], c["published"]) for c in doc["comments"]] == [
        ("Craig", "2012-10-30T11:04"),
        ("Slavko", "2012-11-12T08:40"),
        ("Bigmouth", "2012-07-11"),
    ]


POST = '<div class="post"><h1>{title}</h1>{under}<div class="entry-content"><p>{body}</p></div></div>'
DATED = {
    # Squarespace writes its permalink days unpadded; its published_time meta is a later edit
    "squarespace_permalink": (
        "https://be.example.de/home/2017/7/12/unter-uns",
        '<meta property="article:published_time" content="2019-06-17T10:00:00+0200">'
        + POST.format(title="Unter uns", under="", body="Montauk im Juli."),
        "2017-07-12",
    ),
    # a comment's <time> inside an <article> is no post date; the theme's publication line is
    "comment_time_and_publication_line": (
        "https://podcast.example.de/2019/res158/",
        POST.format(
            title="RES158", under="", body="Folge 158.<br>Veröffentlicht am 16.08.2019<br>Dauer: 1 Stunde"
        )
        + '<ol class="commentlist"><li class="comment" id="comment-7"><article><cite class="fn">Ina</cite>'
        '<time datetime="2019-08-24T03:36:11+02:00">24. August 2019</time><div class="comment-content">'
        "<p>Tolle Folge!</p></div></article></li></ol>",
        "2019-08-16",
    ),
    # Kubrick's footer says it in a long sentence
    "kubrick_postmetadata": (
        "http://news.example.de/news/2011/12/kein-cyberterror/",
        POST.format(title="Kein Cyberterror", under="", body="Die Meldung klang dramatisch.")
        + '<p class="postmetadata alt"><small>Dieser Beitrag wurde am Samstag, 3. Dezember 2011 um 10:00 Uhr '
        "veröffentlicht und unter Cybercrime gespeichert. Sie können Kommentare zu diesem Eintrag über den "
        "RSS-2.0-Feed verfolgen.</small></p>",
        "2011-12-03",
    ),
    # the date line just under the title, in a post filed under category-popular (no "popular posts" box)
    "date_under_title": (
        "http://sports.example.com/top-10/",
        '<div class="post category-popular">'
        + POST.format(title="Top 10", under="<p>January 22, 2014</p>", body="A generally accepted myth.")
        + '</div><div id="sidebar"><h1>Popular Posts</h1><p>March 3, 2013</p></div>',
        "2014-01-22",
    ),
    # Medium: published_time is the last edit, the JSON-LD keeps both dates
    "meta_is_the_modification": (
        "https://medium.example.com/@ransu/recherche-be507f7cf761",
        '<meta property="article:published_time" content="2019-12-12T21:17:43.643Z">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2019-12-09T22:25:10.658Z",'
        ' "dateModified": "2019-12-12T21:17:43.643Z"}</script>'
        + POST.format(title="Recherche", under="", body="Non."),
        "2019-12-09",
    ),
}


@pytest.mark.parametrize("name", sorted(DATED))
def test_the_post_date_on_each_family_of_date_markup(name, tmp_path, capsys):
    url, html, expected = DATED[name]
    page = tmp_path / "p.html"
    page.write_text(
        f"<html><head>{html.split('<div', 1)[0]}</head><body><div{html.split('<div', 1)[1]}</body></html>"
    )
    assert run(["extract", str(page), "--url", url, "--compact"]) == 0
    assert json.loads(capsys.readouterr().out)["published"][:10] == expected
