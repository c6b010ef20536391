"""Blogrolls of old platform skins found by their heading, and template links to other blogs, through ``graphscan extract``.

The pages under ``tests/data/pages/families/blogroll_*.html`` are hand-written skins of Hautetfort,
Typepad, Over-blog and Canalblog whose blogroll box carries no class the catalogue knows: only its
heading ("Blogroll", "Blogs I read", "Liens", "Mes blogs préférés") says what it is.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphscan.cli import run

FAMILIES = Path(__file__).parent.parent / "data" / "pages" / "families"
CASES = {
    "blogroll_hautetfort": (
        "http://lise.hautetfort.com/archive/2007/09/12/vendanges.html",
        {
            "http://paul.hautetfort.com/",
            "http://vigneron.over-blog.com/",
            "http://www.cavistes-independants.fr/",
        },
    ),
    "blogroll_typepad": (
        "http://garden.typepad.com/notes/2009/04/tomatoes-again.html",
        {
            "http://compost.typepad.com/heap/",
            "http://seedsaver.blogspot.com/",
            "http://www.allotment-diaries.co.uk/",
            "http://friend.typepad.com/",
        },
    ),
    "blogroll_overblog": (
        "http://herbe.over-blog.com/article-randonnee-au-vercors-123.html",
        {"http://montagnard.over-blog.com/", "http://refuges.blogspot.com/", "http://www.topos-vercors.org/"},
    ),
    "blogroll_canalblog": (
        "http://tricot.canalblog.com/archives/2011/10/09/22300.html",
        {"http://laine.canalblog.com/", "http://crochet.eklablog.com/", "http://www.fil-a-fil.net/"},
    ),
}


def links(name: str, capsys) -> dict[str, str]:
    url = CASES[name][0]
    assert run(["extract", str(FAMILIES / f"{name}.html"), "--url", url, "--compact"]) == 0
    return {link["url"]: link["kind"] for link in json.loads(capsys.readouterr().out)["links"]}


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_blogroll_under_its_heading_is_found_and_nothing_else(name, capsys):
    kinds = links(name, capsys)
    assert {url for url, kind in kinds.items() if kind == "blogroll"} == CASES[name][1]


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_blog_own_pages_stay_navigation_and_the_post_links_citations(name, capsys):
    kinds = links(name, capsys)
    own = CASES[name][0].split("/")[2]
    assert all(kind == "navigation" for url, kind in kinds.items() if url.split("/")[2] == own)
    assert sum(kind == "citation" for kind in kinds.values()) == (0 if name == "blogroll_overblog" else 1)


def test_a_template_link_to_another_platform_blog_is_never_navigation(capsys):
    kinds = links("blogroll_typepad", capsys)
    assert kinds["http://friend.typepad.com/"] == "blogroll"  # in the footer, under no heading
    assert kinds["http://www.typepad.com/"] == "navigation"  # the platform itself is no blog


def test_other_blogs_in_recent_comment_or_related_boxes_are_no_blogroll(tmp_path, capsys):
    page = tmp_path / "p.html"
    page.write_text(
        '<html><body><div class="entry-content"><p>Post text.</p></div>'
        '<div id="sidebar"><table class="recentcommentsavatar"><tr><td><a href="http://ann.wordpress.com/">ann</a></td></tr></table>'
        '<div class="textwidget"><a href="http://bob.wordpress.com/">bob</a></div></div></body></html>',
        encoding="utf-8",
    )
    assert run(["extract", str(page), "--url", "http://me.wordpress.com/2020/01/02/p/", "--compact"]) == 0
    kinds = {link["url"]: link["kind"] for link in json.loads(capsys.readouterr().out)["links"]}
    assert kinds == {"http://ann.wordpress.com/": "navigation", "http://bob.wordpress.com/": "blogroll"}


def test_a_template_link_to_another_blog_post_is_blogroll_and_the_own_related_posts_stay_navigation(
    tmp_path, capsys
):
    page = tmp_path / "p.html"
    page.write_text(
        '<html><body><div class="menu"><a href="http://me.example.com/about/">About</a>'
        '<a href="http://friend.example.org/2019/12/24/noel/">A friend\'s post</a></div>'
        '<div class="entry-content"><p>Post text.</p></div>'
        '<div class="related-posts"><a href="http://me.example.com/2019/11/02/older/">Older</a></div>'
        '<div id="sidebar"><div class="textwidget"><a href="http://lea.blogspot.com/2018/03/printemps.html">Léa</a>'
        '<a href="http://shop.example.net/">Shop</a></div></div>'
        '<footer><a href="http://www.blogger.com/">Blogger</a></footer></body></html>',
        encoding="utf-8",
    )
    assert run(["extract", str(page), "--url", "http://me.example.com/2020/01/02/p/", "--compact"]) == 0
    kinds = {link["url"]: link["kind"] for link in json.loads(capsys.readouterr().out)["links"]}
    assert kinds == {
        "http://me.example.com/about/": "navigation",
        "http://friend.example.org/2019/12/24/noel/": "blogroll",  # a dated permalink of another site
        "http://me.example.com/2019/11/02/older/": "navigation",
        "http://lea.blogspot.com/2018/03/printemps.html": "blogroll",
        "http://shop.example.net/": "navigation",  # not known to be a blog from this page alone
        "http://www.blogger.com/": "navigation",
    }
