"""Extraction on saved pages, one per platform rule: link kinds, comments, people, metadata."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawl import extract as extract_module
from crawl.extract import build_link, extract_feed, extract_page
from crawl.extract import normalize_url as crawl_normalize
from graphscan import model
from graphscan.errors import InvalidURLError
from graphscan.model import Blog, Comment, Link, Page, Person, make_link

PAGES = Path(__file__).parent.parent / "data" / "pages"


def extract(name: str, url: str):
    return extract_page((PAGES / name).read_bytes(), url, seen_at="2024-01-01T00:00:00+00:00")


def kinds(result, kind: str) -> list[str]:
    return [link.target for link in result.links if link.kind == kind]


@pytest.fixture(scope="module")
def wordpress():
    return extract("wordpress.html", "https://alice.example.fr/2019/03/velo/")


def test_wordpress_is_detected_from_its_generator_meta(wordpress):
    assert wordpress.platform == "wordpress"
    assert wordpress.blog.platform == "wordpress"
    assert wordpress.blog.title == "Carnet d'Alice"


def test_wordpress_page_metadata(wordpress):
    page = wordpress.page
    assert (page.title, page.author, page.language) == ("Le vélo en ville", "Alice Martin", "fr")
    assert page.published == "2019-03-13T07:00:40+00:00"
    assert "les pistes cyclables manquent" in page.text
    assert "Bravo" not in page.text and "Partager" not in page.text


def test_links_in_the_post_body_are_citations(wordpress):
    assert kinds(wordpress, "citation") == [
        "http://bob.blogspot.com/2019/03/pistes.html",
        "https://www.velo-paris.fr/etude",
        "https://carol.hautetfort.com/archive/2019/03/01/velo.html",
        "https://alice.example.fr/2018/10/pistes/",
    ]


def test_nofollow_citation_keeps_its_rel_and_is_not_endorsing(wordpress):
    link = next(x for x in wordpress.links if x.target == "https://www.velo-paris.fr/etude")
    assert (link.rel, link.anchor, link.endorsing) == ("nofollow", "cette étude", False)


def test_tags_share_buttons_menus_and_media_are_navigation(wordpress):
    nav = kinds(wordpress, "navigation")
    for url in (
        "https://alice.example.fr/tag/velo/",
        "https://alice.example.fr/category/ville/",
        "https://alice.example.fr/2019/02/hiver/",
        "https://twitter.com/alice",
        "https://alice.example.fr/wp-content/uploads/2019/03/velo.jpg",
    ):
        assert url in nav
    assert not any("facebook.com" in url for url in kinds(wordpress, "citation"))


def test_blogroll_widget_and_xfn_links_are_blogroll_but_same_blog_links_are_not(wordpress):
    assert kinds(wordpress, "blogroll") == [
        "http://bob.blogspot.com/",
        "https://carol.hautetfort.com/",
        "http://frank.example.org/",
    ]
    link = next(x for x in wordpress.links if x.kind == "blogroll" and "bob" in x.target)
    assert link.rel == "friend met"


def test_commenter_signed_urls_are_comment_author_links_kept_with_nofollow(wordpress):
    authors = [link for link in wordpress.links if link.kind == "comment_author"]
    assert [(link.target, link.anchor, link.rel) for link in authors] == [
        ("http://www.helene-blog.fr/", "Hélène", "external nofollow ugc"),
        ("https://dave.wordpress.com/", "Dave", "external nofollow ugc"),
    ]


def test_links_inside_comment_text_are_comment_body(wordpress):
    assert kinds(wordpress, "comment_body") == ["http://www.helene-blog.fr/2019/03/velo-aussi/"]


def test_pingbacks_are_trackback_links_not_comments(wordpress):
    assert kinds(wordpress, "trackback") == ["https://eve.over-blog.com/2019/03/velo-chez-alice.html"]
    assert all(
        "Le vélo chez Alice" not in c.text and c.author != "Le vélo chez Alice" for c in wordpress.comments
    )


def test_recent_comments_widget_is_not_a_comment(wordpress):
    assert len(wordpress.comments) == 3
    helene = [link for link in wordpress.links if link.target == "http://www.helene-blog.fr/"]
    assert [link.kind for link in helene] == ["comment_author", "navigation"]


def test_threaded_comments_keep_their_own_text_and_dates(wordpress):
    rows = [(c.author, c.author_url, c.published, c.text) for c in wordpress.comments]
    assert rows == [
        (
            "Hélène",
            "http://www.helene-blog.fr/",
            "2019-03-13T09:15:00+00:00",
            "Bravo ! J'en parle aussi chez moi.",
        ),
        ("Alice Martin", "", "2019-03-13T10:00:00+00:00", "Merci Hélène !"),
        ("Dave", "https://dave.wordpress.com/", "2019-03-14T08:00:00+00:00", "Pas d'accord."),
    ]


def test_bad_hrefs_are_skipped_and_counted_without_losing_other_links(wordpress):
    assert wordpress.links_skipped == 4
    assert not any(link.target.startswith(("mailto", "javascript", "tel")) for link in wordpress.links)


def test_feeds_include_the_comment_feed(wordpress):
    assert wordpress.feeds == [
        "https://alice.example.fr/feed/",
        "https://alice.example.fr/2019/03/velo/feed/",
    ]


def test_people_are_the_author_and_each_commenter_once(wordpress):
    keys = [p.key for p in wordpress.people]
    assert keys == ["name:alice martin@alice.example.fr", "site:helene-blog.fr", "site:dave.wordpress.com"]


def test_records_carry_every_target_blog_once_and_links_last(wordpress):
    records = list(wordpress.records())
    blogs = [r.key for r in records if isinstance(r, Blog)]
    assert blogs[0] == "alice.example.fr" and len(blogs) == len(set(blogs))
    assert {"bob.blogspot.com", "carol.hautetfort.com", "helene-blog.fr", "eve.over-blog.com"} <= set(blogs)
    order = [type(r) for r in records]
    assert order.index(Page) < order.index(Person) < order.index(Comment) < order.index(Link)


def test_repeated_links_get_increasing_ordinals(wordpress):
    same = [
        link
        for link in wordpress.links
        if link.target == "https://alice.example.fr/2019/03/velo/" and link.kind == "navigation"
    ]
    assert [link.ordinal for link in same] == list(range(len(same))) and len(same) >= 3
    assert len({link.key for link in wordpress.links}) == len(wordpress.links)


def test_fast_link_builder_gives_the_same_record_as_make_link():
    fields = {"anchor": " Bob ", "rel": "NoFollow ugc", "seen_at": "2024-01-01", "published": "2019-01-01"}
    fast = build_link("http://a.fr/p", "a.fr", "http://www.b.fr/x", "b.fr", "citation", 2, **fields)
    assert fast == make_link("http://a.fr/p", "http://www.b.fr/x", "citation", ordinal=2, **fields)


def test_blogger_threaded_comments_and_bloglist():
    result = extract("blogger.html", "https://gardennotes.blogspot.com/2019/05/spring-tomatoes.html")
    assert result.platform == "blogger"
    assert (result.page.title, result.page.author, result.page.published) == (
        "Spring tomatoes",
        "Gina",
        "2019-05-04T10:30:00+02:00",
    )
    assert [(c.author, c.author_url, c.published) for c in result.comments] == [
        ("Hugo", "https://www.blogger.com/profile/1111", "2019-05-04T11:00"),
        ("Iris", "http://iris.example.com/", "2019-05-04T12:00"),
    ]
    assert kinds(result, "citation") == [
        "https://seedsavers.example.org/tomatoes",
        "http://olivia.typepad.com/blog/2019/04/seeds.html",
    ]
    # the BlogList widget's latest posts of the listed blogs are blogroll links too
    assert kinds(result, "blogroll") == [
        "http://jack.blogspot.com/",
        "http://jack.blogspot.com/2019/05/beans.html",
        "https://kate.wordpress.com/",
    ]
    assert kinds(result, "comment_body") == ["http://hugo.example.net/tomatoes"]


def test_links_to_platform_image_hosts_are_not_citations():
    result = extract("blogger.html", "https://gardennotes.blogspot.com/2019/05/spring-tomatoes.html")
    image = [link for link in result.links if "bp.blogspot.com" in link.target]
    assert [link.kind for link in image] == ["navigation"]


def test_blogger_profile_commenters_stay_distinct_people():
    result = extract("blogger.html", "https://gardennotes.blogspot.com/2019/05/spring-tomatoes.html")
    assert "site:blogger.com/profile/1111" in {p.key for p in result.people}


def test_blogger_classic_comment_block():
    result = extract("blogger_classic.html", "http://louskitchen.blogspot.com/2009/03/bread.html")
    assert [(c.author, c.author_url, c.text) for c in result.comments] == [
        ("Ned", "https://www.blogger.com/profile/5551", "Looks great, see my rye."),
        ("Anonymous", "", "Recipe please!"),
    ]
    assert kinds(result, "comment_body") == ["http://ned.example.org/rye"]
    assert kinds(result, "citation") == ["http://mia.blogspot.com/2009/03/starter.html"]


def test_hautetfort_comments_signed_after_the_text():
    result = extract("hautetfort.html", "http://paul.hautetfort.com/archive/2008/03/12/municipales.html")
    assert result.platform == "hautetfort"
    assert [(c.author, c.author_url, c.published) for c in result.comments] == [
        ("Théo", "http://theo.hautetfort.com/", "2008-03-12"),
        ("Ursule", "", "2008-03-13"),
    ]
    assert kinds(result, "blogroll") == ["http://quentin.over-blog.com/", "http://www.rachel-politique.fr/"]
    assert kinds(result, "citation") == ["http://sophie.canalblog.com/archives/2008/03/11/8281.html"]
    assert kinds(result, "comment_body") == ["http://www.lemonde.fr/politique/"]


def test_canalblog_comments_and_links_widget():
    result = extract("canalblog.html", "http://victor.canalblog.com/archives/2007/04/09/44100.html")
    assert result.platform == "canalblog"
    assert [(c.author, c.published, c.text) for c in result.comments] == [
        ("Xavier", "2007-04-10T08:30", "Superbe balade !")
    ]
    assert kinds(result, "citation") == ["http://wendy.typepad.fr/blog/2007/04/lyon.html"]
    assert kinds(result, "blogroll") == ["http://yvonne.canalblog.com/"]


def test_overblog_comments_with_and_without_a_signed_url():
    result = extract("overblog.html", "http://zoe.over-blog.com/2012/04/semis.html")
    assert result.platform == "overblog"
    assert [(c.author, c.author_url, c.text) for c in result.comments] == [
        ("Basile", "http://basile.over-blog.com/", "Moi aussi je sème !"),
        ("Capucine", "", "Joli."),
    ]
    assert result.page.published == "2012-04-02T09:00:00+02:00"
    assert kinds(result, "blogroll") == ["http://delphine.canalblog.com/"]


def test_typepad_trackbacks_comments_and_typelist():
    result = extract("typepad.html", "http://ellen.typepad.com/notebook/2008/03/on-reading.html")
    assert result.platform == "typepad"
    assert kinds(result, "trackback") == ["http://george.typepad.com/blog/2008/03/reading-more.html"]
    assert [(c.author, c.author_url, c.published) for c in result.comments] == [
        ("Hannah", "http://hannah.blogspot.com/", "2008-03-03T11:45")
    ]
    assert kinds(result, "blogroll") == ["http://ian.typepad.com/"]


def test_dotclear_is_detected_from_its_markup_and_its_pings_are_trackbacks():
    result = extract("dotclear.html", "http://julien.example.net/index.php?post/2008/02/05/libre")
    assert result.platform == "dotclear"
    assert [(c.author, c.author_url, c.published) for c in result.comments] == [
        ("Léon", "http://leon.example.com/", "2008-02-05T15:02"),
        ("Marion", "", "2008-02-06T09:10"),
    ]
    assert kinds(result, "trackback") == ["http://nadia.example.fr/post/2008/02/07/libre"]
    assert kinds(result, "blogroll") == ["http://olivier.example.org/"]


def test_livejournal_commenter_is_their_journal_not_their_profile():
    result = extract("livejournal.html", "https://petya.livejournal.com/1234.html")
    assert result.platform == "livejournal"
    assert [(c.author, c.author_url) for c in result.comments] == [
        ("masha", "https://masha.livejournal.com/")
    ]
    assert kinds(result, "blogroll") == ["https://kolya.livejournal.com/"]


def test_skyblog_comments_and_friends():
    result = extract("skyblog.html", "http://lulu-du-93.skyrock.com/2801-ma-journee.html")
    assert result.platform == "skyblog"
    assert [(c.author, c.author_url, c.published) for c in result.comments] == [
        ("nono-du-92", "http://nono-du-92.skyrock.com/", "2007-05-14T18:32")
    ]
    assert kinds(result, "blogroll") == ["http://toto-du-13.skyrock.com/"]


def test_microformats_comments_on_an_unknown_engine():
    result = extract("microformats.html", "https://quinn.example/2020/01/02/notes")
    assert result.platform == "generic"
    assert result.page.author == "Quinn"
    assert [(c.author, c.author_url, c.published) for c in result.comments] == [
        ("Sam", "https://sam.example/", "2020-01-02T11:00:00Z")
    ]
    assert kinds(result, "comment_author") == ["https://sam.example/"]
    assert kinds(result, "comment_body") == ["https://sam.example/reply"]


def test_schema_org_comments_in_json_ld():
    result = extract("jsonld_comments.html", "https://tom.example.com/cheese")
    assert [(c.author, c.author_url, c.text) for c in result.comments] == [
        ("Ugo", "https://ugo.example.it/", "I love comté."),
        ("Vera", "", "Brie for me."),
    ]
    assert kinds(result, "comment_author") == ["https://ugo.example.it/"]
    assert result.page.author == "Tom"


def test_javascript_comments_are_reported_as_none():
    result = extract("disqus.html", "https://wendy.example.com/post")
    assert result.comments == [] and result.people == []
    assert kinds(result, "citation") == ["https://walter.example.com/"]


def test_latin1_page_without_declaration_comes_out_as_unicode():
    result = extract("latin1.html", "http://cafe-helene.fr/billet.html")
    assert result.page.title == "Le café de Hélène"
    assert [(c.author, c.text) for c in result.comments] == [("Hélène", "Très réussi, l’été !")]
    assert kinds(result, "citation") == ["http://xn--zlie-bpa.fr/%C3%A9t%C3%A9"]


def test_same_commenter_on_latin1_utf8_and_nfd_pages_is_one_person():
    page = '<div class="entry-content"><p>x</p></div><ol><li id="comment-1" class="comment"><cite><a class="url" href="http://www.helene-blog.fr/">{}</a></cite><p>ok</p></li></ol>'
    latin = extract_page(
        page.format("Hélène").encode("latin-1"), "http://a.fr/1", "text/html; charset=ISO-8859-1"
    )
    utf8 = extract_page(page.format("Hélène").encode("utf-8"), "http://b.fr/1")
    nfd = extract_page(page.format("He\u0301le\u0300ne").encode("utf-8"), "http://c.fr/1")
    people = {(p.key, p.name) for x in (latin, utf8, nfd) for p in x.people}
    assert people == {("site:helene-blog.fr", "Hélène")}


def test_same_commenter_without_url_is_one_person_per_blog_only():
    page = '<ol><li id="comment-1" class="comment"><cite>Hélène</cite><p>ok</p></li></ol>'
    a, b = (extract_page(page, url).people[0].key for url in ("http://a.fr/1", "http://b.fr/1"))
    assert a != b


def test_outlinks_beyond_the_cap_are_cut_and_counted():
    body = "<article>" + "".join(f'<a href="http://t{i}.fr/">{i}</a>' for i in range(1200)) + "</article>"
    result = extract_page(body, "http://a.fr/p")
    assert (len(result.links), result.links_cut) == (1000, 200)


def test_bad_page_url_raises_invalid_url():
    with pytest.raises(InvalidURLError):
        extract_page(b"<p>x</p>", "ftp://a.fr/")


def test_json_document_has_the_documented_fields(wordpress):
    doc = wordpress.to_json()
    assert {
        "url",
        "blog",
        "title",
        "published",
        "author",
        "language",
        "platform",
        "links",
        "comments",
    } <= set(doc)
    assert set(doc["links"][0]) == {"url", "kind", "anchor", "rel"}
    assert set(doc["comments"][0]) == {"author", "author_url", "published", "text", "kind"}
    assert Counter(link["kind"] for link in doc["links"])["comment_author"] == 2


def test_rss_feed_entries_with_comment_urls():
    rss = b"""<?xml version="1.0" encoding="ISO-8859-1"?>
<rss version="2.0" xmlns:wfw="http://wellformedweb.org/CommentAPI/"><channel><title>Caf\xe9</title>
<item><title>Le caf\xe9</title><link>http://a.fr/2009/cafe/</link><pubDate>Tue, 14 Jul 2009 10:00:00 +0200</pubDate>
<comments>http://a.fr/2009/cafe/#comments</comments></item>
<item><title>Sans lien</title></item></channel></rss>"""
    entries = extract_feed(rss, "http://a.fr/feed/")
    assert [(e.url, e.title, e.published) for e in entries] == [
        ("http://a.fr/2009/cafe/", "Le café", "2009-07-14T10:00:00+02:00")
    ]
    assert entries[0].comments_url == "http://a.fr/2009/cafe/"


def test_atom_feed_entries_use_the_alternate_link_and_replies():
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>P</title>
<link rel="replies" type="text/html" href="http://b.blogspot.com/2019/05/p.html#comment-form"/>
<link rel="alternate" type="text/html" href="http://b.blogspot.com/2019/05/p.html"/>
<published>2019-05-04T10:30:00.001+02:00</published></entry></feed>"""
    (entry,) = extract_feed(atom, "http://b.blogspot.com/feeds/posts/default")
    assert (entry.url, entry.published) == (
        "http://b.blogspot.com/2019/05/p.html",
        "2019-05-04T10:30:00.001+02:00",
    )
    assert entry.comments_url == "http://b.blogspot.com/2019/05/p.html"


def test_broken_feed_gives_what_could_be_read():
    assert (
        extract_feed(b"<rss><channel><item><link>http://a.fr/1</link></item><item><link>", "http://a.fr/f")[
            0
        ].url
        == "http://a.fr/1"
    )
    assert extract_feed(b"\x00\xff not xml", "http://a.fr/f") == []


URL_PARTS = st.sampled_from(
    [
        "a",
        "B",
        "é",
        "%41",
        "%7e",
        ";jsessionid=0123456789abcdef0123456789abcdef",
        "?",
        "=",
        "&",
        "#",
        "/",
        "..",
        ".",
        "~",
        "-",
        "+",
        ":",
        "@",
        " ",
        "utm_source=x",
        "a=1",
        "a-b=2",
        "mailto:",
        "javascript:",
        "http:",
        "tel:+33",
        "a_b",
        "1",
    ]
)
HOSTS = st.sampled_from(
    [
        "a.fr",
        "Blog.Example.FR",
        "www.b.fr",
        "café.fr",
        "a.fr:80",
        "a.fr:8080",
        "medium.com",
        "www.blogger.com",
        "x.blogspot.com",
        "x.blogspot.de",
        "www.x.blogspot.co.uk",
    ]
)


def uncached_site_key(url: str) -> str:
    """``model.site_key`` by its rules, with no cache on the way: what the memoised one must return."""
    parts = urlsplit(model.normalize_by_rules(url))
    host, port = model._split_netloc(parts.netloc)
    key = model._host_key(host, parts.path)
    return f"{key}:{port}" if port and "/" not in key else key


def test_the_crawl_uses_the_models_url_identity():
    assert extract_module.site_key is model.site_key
    assert crawl_normalize("HTTP://A.fr/x?b=1&a=2#f") == model.normalize_url("http://a.fr/x?a=2&b=1")


@settings(max_examples=1500, deadline=None)
@given(st.sampled_from(["http://", "https://", "HTTP://"]), HOSTS, st.lists(URL_PARTS, max_size=8))
def test_memoised_normalize_and_site_key_agree_with_the_models_rules(scheme, host, parts):
    def outcome(function, *args):
        try:
            return function(*args)
        except InvalidURLError:
            return InvalidURLError

    url, base = scheme + host + "/" + "".join(parts), scheme + host + "/dir/"
    rules = model.normalize_by_rules
    assert outcome(crawl_normalize, url) == outcome(rules, url)
    assert outcome(model.normalize_url, url) == outcome(rules, url)
    assert outcome(crawl_normalize, "".join(parts), base) == outcome(rules, "".join(parts), base)
    expected = outcome(rules, url)
    if expected is not InvalidURLError:
        assert model.site_key(expected) == uncached_site_key(expected)
        assert model.site_key(url) == uncached_site_key(url)


def test_memoised_site_key_keeps_path_platform_identities():
    for url in (
        "https://medium.com/@carol/story-1",
        "https://medium.com/@dave/story-1",
        "https://www.blogger.com/profile/123",
        "https://blogs.mediapart.fr/elba/blog/1",
    ):
        assert model.site_key(url) == uncached_site_key(url)
    assert model.site_key("https://medium.com/@carol/a") != model.site_key("https://medium.com/@dave/a")


def test_image_only_links_to_the_blog_itself_are_navigation():
    body = (
        '<article><p><a href="/album/photo/1"><img src="/p1.jpg" alt="P1.jpg"></a> '
        '<a href="http://flickr.example.com/photos/1"><img src="x.jpg"></a></p></article>'
    )
    result = extract_page(body, "http://a.fr/2019/01/01/p/")
    assert [(link.target, link.kind) for link in result.links] == [
        ("http://a.fr/album/photo/1", "navigation"),
        ("http://flickr.example.com/photos/1", "citation"),
    ]


def test_blogger_country_domain_of_the_same_blog_is_not_a_blogroll_entry():
    html = b"""<html><head><meta name="generator" content="blogger"></head><body>
    <div class="post-body"><p>Post.</p></div>
    <div class="widget LinkList"><ul>
      <li><a href="http://gina.blogspot.de/search/label/Buch">Buch</a></li>
      <li><a href="http://kate.blogspot.de/">Kate</a></li>
    </ul><span class="item-control blog-admin"><a href="//www.blogger.com/rearrange?blogID=1&amp;widgetId=LinkList1">edit</a></span></div>
    </body></html>"""
    result = extract_page(html, "https://gina.blogspot.com/2019/05/p.html")
    assert kinds(result, "blogroll") == ["http://kate.blogspot.de/"]
    assert {link.target: link.kind for link in result.links}[
        "http://gina.blogspot.de/search/label/Buch"
    ] == "navigation"


def test_pingbacks_are_listed_with_their_whole_text_but_are_no_comment_records():
    html = (
        b'<html><head><meta name="generator" content="WordPress 3.4"></head><body>'
        b'<div class="entry-content"><p>Post.</p></div><ol class="commentlist">'
        b'<li class="comment" id="comment-1"><cite class="fn">Ann</cite><div class="comment-content">'
        b"<p>Nice one.</p></div></li>"
        b'<li class="pingback" id="comment-2"><div class="comment-author vcard"><cite class="fn">'
        b'<a href="http://other.example.org/2012/10/02/reply/" class="url">A reply elsewhere</a></cite></div>'
        b"<p>[...] as the post says, small steps win [...]</p></li></ol></body></html>"
    )
    x = extract_page(html, "http://a.example.com/2012/10/01/p/")
    assert [c.author for c in x.comments] == ["Ann"] and x.trackbacks == 1
    listed = [(c["author"], c["kind"], c["text"]) for c in x.to_json()["comments"]]
    assert listed == [
        ("Ann", "comment", "Nice one."),
        ("A reply elsewhere", "trackback", "A reply elsewhere [...] as the post says, small steps win [...]"),
    ]
    assert not any(isinstance(r, model.Comment) and r.author == "A reply elsewhere" for r in x.records())
