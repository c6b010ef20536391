"""The identity rules of the model: blogs are site keys, people are URLs, links keep provenance."""

from __future__ import annotations

import pytest

from graphscan.errors import InvalidURLError
from graphscan.model import (
    blog_url,
    make_comment,
    make_link,
    make_person,
    nfc,
    normalize_url,
    person_key,
    site_key,
)


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://alice.blogspot.com/2009/05/x.html", "alice.blogspot.com"),
        ("http://bob.blogspot.com/", "bob.blogspot.com"),
        ("https://carol.wordpress.com/about/", "carol.wordpress.com"),
        ("http://dan.over-blog.com/article-1.html", "dan.over-blog.com"),
        ("http://eve.hautetfort.com/archive/2008/01/01/x.html", "eve.hautetfort.com"),
        ("http://fred.canalblog.com/", "fred.canalblog.com"),
        ("http://gus.typepad.com/blog/", "gus.typepad.com"),
        ("http://hal.livejournal.com/123.html", "hal.livejournal.com"),
        ("https://medium.com/@ivy/a-story-1a2b", "medium.com/@ivy"),
        ("https://www.lemonde.fr/blog/x", "lemonde.fr"),
        ("https://LeMonde.FR:443/", "lemonde.fr"),
    ],
)
def test_a_blog_is_a_site_key_not_a_host(url, key):
    assert site_key(url) == key


def test_two_blogs_on_one_platform_stay_apart():
    assert site_key("http://alice.blogspot.com/") != site_key("http://bob.blogspot.com/")


def test_the_platform_home_is_not_a_user_blog():
    assert site_key("https://www.wordpress.com/") == "wordpress.com"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTP://Blog.EXAMPLE.fr:80/a#x", "http://blog.example.fr/a"),
        ("http://a.fr/p;jsessionid=0123456789abcdef0123456789ABCDEF", "http://a.fr/p"),
        ("http://a.fr/p?utm_source=x&fbclid=1&id=2", "http://a.fr/p?id=2"),
        ("http://a.fr/p?b=2&a=1", "http://a.fr/p?a=1&b=2"),
        ("https://café.fr/été", "https://xn--caf-dma.fr/%C3%A9t%C3%A9"),
        ("http://a.fr", "http://a.fr/"),
    ],
)
def test_urls_are_normalised_to_one_key(raw, expected):
    assert normalize_url(raw) == expected


def test_a_33_character_session_id_is_kept():
    url = "http://a.fr/p;jsessionid=0123456789abcdef0123456789ABCDEFX"
    assert "jsessionid" in normalize_url(url)


@pytest.mark.parametrize(
    "bad",
    ["mailto:a@b.fr", "javascript:alert(1)", "ftp://a.fr/x", "file:///etc/passwd", "http://", "http://[::1"],
)
def test_non_http_and_malformed_urls_are_refused(bad):
    with pytest.raises(InvalidURLError):
        normalize_url(bad)


def test_relative_urls_resolve_against_the_page():
    assert normalize_url("../b", base="http://a.fr/x/y/z") == "http://a.fr/x/b"


def test_helene_in_nfd_and_nfc_is_one_person():
    assert person_key("He\u0301le\u0300ne", "http://helene.fr", "a.fr") == person_key(
        "Hélène", "https://www.helene.fr/", "b.fr"
    )
    assert nfc("He\u0301le\u0300ne") == "Hélène"


def test_a_nameless_url_less_commenter_is_only_known_on_one_blog():
    assert person_key("Anonyme", "", "a.fr") != person_key("Anonyme", "", "b.fr")
    assert person_key("Anonyme", "", "a.fr") == person_key("anonyme ", "", "a.fr")


def test_a_commenter_signing_with_a_blog_is_linked_to_that_blog():
    person = make_person("Hélène", "http://www.helene.fr/", "alice.fr")
    assert (person.key, person.blog) == ("site:helene.fr", "helene.fr")


def test_links_keep_their_provenance():
    link = make_link(
        "http://a.fr/p",
        "http://b.fr/x",
        "comment_author",
        anchor=" Bob ",
        rel="UGC nofollow",
        published="2009-05-01",
        seen_at="2026-11-23",
    )
    assert (link.source, link.source_blog, link.target_blog, link.kind) == (
        "http://a.fr/p",
        "a.fr",
        "b.fr",
        "comment_author",
    )
    assert (link.anchor, link.rel, link.published, link.seen_at) == (
        "Bob",
        "nofollow ugc",
        "2009-05-01",
        "2026-11-23",
    )
    assert not link.endorsing


def test_link_keys_are_stable_and_tell_repeats_apart():
    a = make_link("http://a.fr/p", "http://b.fr/x", "citation")
    assert a.key == make_link("HTTP://A.fr/p#top", "http://b.fr/x", "citation").key
    assert a.key != make_link("http://a.fr/p", "http://b.fr/x", "citation", ordinal=1).key
    assert a.key != make_link("http://a.fr/p", "http://b.fr/x", "blogroll").key


def test_unknown_link_kinds_are_refused():
    with pytest.raises(ValueError, match="unknown link kind"):
        make_link("http://a.fr/", "http://b.fr/", "friendship")


def test_comment_keys_are_stable_across_recrawls():
    one = make_comment("http://a.fr/p", "a.fr", "Hélène", "http://helene.fr", "2009-05-02", "Bien vu")
    two = make_comment(
        "http://a.fr/p", "a.fr", "He\u0301le\u0300ne", "http://helene.fr/", "2009-05-02", " Bien vu "
    )
    assert one == two


def test_record_rows_are_flat_with_json_attributes():
    from graphscan.model import Blog

    row = Blog(key="a.fr", attrs={"party": "vert", "n": 1}).row()
    assert row == {
        "key": "a.fr",
        "url": "",
        "title": "",
        "platform": "",
        "attrs": '{"n": 1, "party": "vert"}',
    }


# -- issue 17: IPv6 hosts, ports and session ids ---------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("http://[::1]:18003/", "http://[::1]:18003/"),
        ("HTTP://[2001:DB8:0:0::1]/x#y", "http://[2001:db8::1]/x"),
        ("https://[2001:db8::1]:443/", "https://[2001:db8::1]/"),
    ],
)
def test_ipv6_hosts_round_trip_with_their_brackets(raw, expected):
    assert normalize_url(raw) == expected
    assert normalize_url(normalize_url(raw)) == expected


@pytest.mark.parametrize("bad", ["http://[zz::1]/", "http://[fe80::1%25eth0]/"])
def test_malformed_ipv6_hosts_and_zone_ids_are_refused(bad):
    with pytest.raises(InvalidURLError):
        normalize_url(bad)


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("http://host.fr:8080/a", "host.fr:8080"),
        ("http://www.host.fr:8080/", "host.fr:8080"),
        ("http://host.fr:80/", "host.fr"),
        ("http://[::1]:18003/p", "[::1]:18003"),
        ("https://alice.blogspot.com:8443/x", "alice.blogspot.com:8443"),
    ],
)
def test_a_site_key_keeps_a_port_other_than_the_default(url, key):
    assert site_key(url) == key
    assert site_key(blog_url(key)) == key


@pytest.mark.parametrize(
    "raw",
    [
        "http://a.fr/p;jsessionid=0123456789ABCDEFGHIJKLMN",  # 24 characters (Jetty, WebLogic)
        "http://a.fr/p?session_id=9f86d081884c7d659a2feaa0",
        "http://a.fr/(S(lit3py55t21z5v55vlm25s55))/p",  # ASP.NET cookieless session
        "http://a.fr/(X(1)S(lit3py55t21z5v55vlm25s55))/p",
        "http://a.fr/p?osCsid=e0a5d1c3b2f4a6b8c0d2e4f6a8b0c2d4",  # osCommerce
    ],
)
def test_more_session_id_spellings_are_stripped(raw):
    assert normalize_url(raw) == "http://a.fr/p"


def test_a_23_character_jsessionid_and_a_parenthesised_path_elsewhere_are_kept():
    assert "jsessionid" in normalize_url("http://a.fr/p;jsessionid=0123456789ABCDEFGHIJKLM")
    assert normalize_url("http://a.fr/wiki/(S(x))/p") == "http://a.fr/wiki/(S(x))/p"
    assert normalize_url("http://a.fr/app/(S(lit3py55t21z5v55vlm25s55))/p") == "http://a.fr/app/p"
