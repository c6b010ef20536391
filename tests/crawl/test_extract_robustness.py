"""Extraction never crashes on hostile or broken input, and decodes French pages as browsers do."""

from __future__ import annotations

import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawl.encoding import decode_html
from crawl.extract import PageExtract, extract_feed, extract_page

PAGES = Path(__file__).parent.parent / "data" / "pages"
URL = "http://blog.example.fr/2009/07/billet.html"


def test_header_latin1_means_windows_1252():
    assert decode_html(b"<p>\x92\xe9\x96\x80</p>", "text/html; charset=ISO-8859-1") == "<p>’é–€</p>"


def test_meta_only_charset_is_honoured():
    body = b'<html><head><meta charset="windows-1252"></head><body><p>\xe9t\xe9</p></body></html>'
    assert "été" in decode_html(body, "text/html")


def test_bom_wins_over_a_conflicting_header():
    assert decode_html(b"\xef\xbb\xbf<p>\xc3\xa9</p>", "text/html; charset=ISO-8859-1") == "<p>é</p>"


def test_undeclared_latin1_page_is_read_as_windows_1252():
    assert decode_html("<p>café – l’été</p>".encode("cp1252")) == "<p>café – l’été</p>"


def test_invalid_utf8_becomes_replacement_characters():
    text = decode_html(b"<p>ok \xc3\x28 \xff</p>", "text/html; charset=utf-8")
    assert text.startswith("<p>ok ") and "\ufffd" in text


def test_latin1_comment_text_comes_out_as_unicode():
    body = '<article><p>x</p></article><ol><li id="comment-1"><cite>Zoé</cite><p>Très « bien » l’été</p></li></ol>'
    result = extract_page(body.encode("cp1252"), URL, "text/html; charset=iso-8859-1")
    assert [(c.author, c.text) for c in result.comments] == [("Zoé", "Très « bien » l’été")]


def test_truncated_page_keeps_what_arrived():
    whole = (PAGES / "wordpress.html").read_bytes()
    cut = whole[: whole.index(b"comment-103")]
    result = extract_page(cut, "https://alice.example.fr/2019/03/velo/")
    assert [c.author for c in result.comments][:1] == ["Hélène"]
    assert "http://bob.blogspot.com/2019/03/pistes.html" in [
        link.target for link in result.links if link.kind == "citation"
    ]


def test_nul_bytes_and_control_characters_do_not_stop_extraction():
    body = b'<article>\x00<p>a\x00b <a href="http://b.fr/\x00x">B</a>\x01\x1f</p></article>'
    result = extract_page(body, URL)
    assert [link.kind for link in result.links] == ["citation"]


def test_deeply_nested_markup_does_not_recurse():
    body = "<div>" * 100_000 + '<a href="http://b.fr/">deep</a>' + "</div>" * 100_000
    started = time.perf_counter()
    result = extract_page(body, URL)
    assert isinstance(result, PageExtract)
    assert time.perf_counter() - started < 5


def test_five_mebibyte_page_is_extracted_in_about_a_second_of_cpu():
    paragraph = '<p>Un paragraphe assez long pour compter, avec <a href="http://b.fr/{}">un lien</a>.</p>'
    body = (
        "<html><body><article>"
        + "".join(paragraph.format(i % 5000) for i in range(60_000))
        + "</article></body></html>"
    ).encode()
    assert len(body) > 5 * 2**20
    started = time.process_time()
    result = extract_page(body, URL)
    elapsed = time.process_time() - started
    assert result.links_cut > 0 and len(result.links) == 1000
    assert elapsed < 1.5, f"{elapsed:.2f} s of CPU"


def test_unterminated_comment_title_and_huge_attribute():
    body = (
        b'<html><head><title>unclosed<body><a href="http://b.fr/" title="'
        + b"x" * 10_000_000
        + b'">b</a><!-- never closed'
    )
    assert isinstance(extract_page(body, URL), PageExtract)


def test_binary_served_as_html_gives_an_empty_extract():
    body = bytes(range(256)) * 4000
    result = extract_page(body, URL, "text/html")
    assert result.comments == [] and result.url == URL


def test_empty_and_whitespace_bodies():
    for body in (b"", b"   ", "", b"<", b"<!DOCTYPE html>"):
        result = extract_page(body, URL)
        assert result.links == [] and result.comments == []


HTML_PIECES = st.sampled_from(
    [
        "<div>",
        "</div>",
        "<p>",
        "</p>",
        "<a href='http://x.fr/a'>",
        "<a href='mailto:x'>",
        "<a href='javascript:1'>",
        "<a href='http://[::1'>",
        "<a href='//y.fr/b'>",
        "</a>",
        "<li id='comment-1' class='comment'>",
        "</li>",
        "<ol class='children'>",
        "</ol>",
        "<cite>",
        "</cite>",
        "<div class='entry-content'>",
        "<dl><dt>",
        "<dd class='comment'>",
        "<time datetime='2019-13-45'>",
        "<meta name='generator' content='WordPress'>",
        "<meta name='generator' content='blogger'>",
        '<script type=\'application/ld+json\'>{"@type":"Comment","text":1}</script>',
        "<script type='application/ld+json'>[[[",
        "<div class='widget_links'>",
        "<a rel='friend nofollow' href='http://z.fr/'>",
        "é",
        "\x00",
        "<!--",
        "-->",
        "&#0;",
        "&amp;",
        "<article class='h-entry'>",
        "<div class='p-comment h-cite'>",
        "<a class='p-author' href='http://s.fr/'>",
        "<table><tr><td>",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.one_of(HTML_PIECES, st.text(max_size=20)), max_size=60),
    st.sampled_from([None, "text/html; charset=latin-1", "text/html; charset=bogus"]),
)
def test_fuzzed_html_never_raises(pieces, content_type):
    result = extract_page("".join(pieces).encode("utf-8", "surrogatepass"), URL, content_type)
    assert all(link.source == URL for link in result.links)
    assert len(result.comments) <= len(result.people) + len(result.comments)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_fuzzed_bytes_never_raise(body):
    assert isinstance(extract_page(body, URL), PageExtract)
    assert isinstance(extract_feed(body, URL), list)


def test_pdf_or_image_under_a_blog_url_gives_no_records():
    for body, content_type in (
        (b"%PDF-1.4\n<a href='http://x.fr/'>", "text/html"),
        (b"<a href='http://x.fr/'>x</a>", "image/png"),
        (b"\x89PNG\r\n", None),
    ):
        result = extract_page(body, URL, content_type)
        assert result.not_html and list(result.records()) == [] and result.links == []


def test_ipv6_literal_links_are_skipped_without_losing_the_page():
    body = '<article><a href="http://[::1]/x">v6</a> <a href="http://[fe80::1]:8080/">v6 port</a> <a href="http://c.test/ok">ok</a></article>'
    result = extract_page(body, "http://a.test/v6")
    assert "http://c.test/ok" in [link.target for link in result.links]
