"""Brand matching: aliases, accents and case, word boundaries, context and exclusion words."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphscan.analysis.brands import (
    SNIPPET_CHARS,
    compile_brands,
    fold_keep_offsets,
    load_brands,
    make_brand,
    parse_brands,
    quoted_anchors,
    scan_records,
)
from graphscan.errors import InputDataError, InputFileError, UsageError
from graphscan.model import Comment, Link, Page, make_link, stable_hash

ORANGE = make_brand(
    "Orange",
    aliases=["Livebox"],
    context=["forfait", "opérateur", "réseau", "box"],
    exclude=["jus", "recette", "zeste"],
)
KRYPTONITE = make_brand("Kryptonite", aliases=["Kryptonite Evolution"])
SOCGEN = make_brand("Société Générale", aliases=["SocGen"])


def found(text, *brands):
    return sorted(compile_brands(brands).occurrences(text))


def test_matching_ignores_case_and_accents():
    assert found("Mon compte à la SOCIETE GENERALE", SOCGEN) == ["société générale"]
    assert found("la société générale a fermé", SOCGEN) == ["société générale"]
    assert found("socgen encore", SOCGEN) == ["société générale"]
    assert found("KRYPTONITE, kryptonite, KrYpToNiTe", KRYPTONITE) == ["kryptonite"]


def test_offsets_point_into_the_original_text():
    text = "Élodie a acheté un cadenas KRYPTONITE hier."
    (spans,) = compile_brands([KRYPTONITE]).occurrences(text).values()
    assert [text[a:b] for a, b in spans] == ["KRYPTONITE"]


def test_matches_only_on_word_boundaries():
    assert found("Orangeade et oranges, mon forfait", ORANGE) == []
    assert found("superkryptonite", KRYPTONITE) == []
    assert found("Kryptonite's lock, l'avis d'Orange sur le forfait", KRYPTONITE, ORANGE) == [
        "kryptonite",
        "orange",
    ]


def test_multi_word_alias_matches_across_line_breaks():
    text = "la Société\n  Générale"
    assert found(text, make_brand("Société Générale")) == ["société générale"]


def test_exclusion_word_in_the_sentence_of_the_mention_rejects_it():
    recipe = "Recette du jour : un zeste d'orange dans la pâte. Ma box internet est en panne."
    assert found(recipe, ORANGE) == []


def test_context_word_confirms_the_mention():
    assert found("Orange augmente le prix de son forfait.", ORANGE) == ["orange"]
    assert found("Une orange par jour.", ORANGE) == []


def test_brand_without_context_matches_anywhere():
    assert found("Une orange par jour.", make_brand("Orange")) == ["orange"]


def test_longer_alias_of_another_brand_wins():
    bank = make_brand("Orange Bank")
    assert found("J'ai ouvert un compte Orange Bank.", make_brand("Orange"), bank) == ["orange bank"]


def test_fold_keeps_length_for_any_text():
    text = "ÇA ÉVOLUE — İstanbul, Straße, œuvre"
    assert len(fold_keep_offsets(text)) == len(text)


def test_scan_records_finds_mentions_in_posts_and_comments_with_stable_keys():
    page = Page(
        url="http://a.fr/p1",
        blog="a.fr",
        title="Mon avis",
        text="Le nouveau cadenas Kryptonite est vraiment pas terrible. Il s'ouvre avec un stylo.",
        published="2004-09-12",
    )
    comment = Comment(
        key="c1",
        page=page.url,
        blog="a.fr",
        person="name:bob@a.fr",
        published="2004-09-13",
        text="Kryptonite, top !",
    )
    link = Link(
        key="l",
        source=page.url,
        source_blog="a.fr",
        target="http://b.fr/",
        target_blog="b.fr",
        kind="citation",
    )
    mentions = scan_records([page, comment, link], [KRYPTONITE])
    by_owner = {m.comment or m.page: m for m in mentions}
    assert set(by_owner) == {"http://a.fr/p1", "c1"}
    post, reply = by_owner["http://a.fr/p1"], by_owner["c1"]
    assert (post.key, post.brand, post.blog, post.published) == (
        stable_hash(page.url, "kryptonite"),
        "kryptonite",
        "a.fr",
        "2004-09-12",
    )
    assert (post.language, post.polarity) == ("fr", "negative")
    assert (reply.key, reply.page, reply.language, reply.polarity) == (
        stable_hash("c1", "kryptonite"),
        page.url,
        "fr",
        "positive",
    )
    assert scan_records([page, comment], [KRYPTONITE]) == mentions


def test_repeated_occurrences_in_one_post_make_one_mention():
    page = Page(url="http://a.fr/p", blog="a.fr", text="Kryptonite. Kryptonite again. Kryptonite!")
    assert len(scan_records([page], [KRYPTONITE])) == 1


def test_snippet_is_short_and_holds_the_mention():
    page = Page(url="http://a.fr/p", blog="a.fr", text="word " * 400 + "Kryptonite " + "word " * 400)
    (mention,) = scan_records([page], [KRYPTONITE])
    assert len(mention.snippet) <= SNIPPET_CHARS and "Kryptonite" in mention.snippet


def test_brands_file_in_toml(tmp_path):
    path = tmp_path / "brands.toml"
    path.write_text(
        '[[brand]]\nname = "Orange"\naliases = ["Livebox"]\ncontext = ["forfait"]\nexclude = ["jus"]\n'
        '[[brand]]\nname = "Kryptonite"\n',
        encoding="utf-8",
    )
    orange, kryptonite = load_brands(path)
    assert (orange.key, orange.aliases, orange.context, orange.exclude) == (
        "orange",
        ("Orange", "Livebox"),
        ("forfait",),
        ("jus",),
    )
    assert kryptonite.aliases == ("Kryptonite",)


@pytest.mark.parametrize(
    "text",
    ["not toml [", "[[brand]]\naliases = ['x']", "[[brand]]\nname = 'A'\nexclude = 3", "title = 'no brands'"],
)
def test_malformed_brand_file_is_input_data_error(text):
    with pytest.raises(InputDataError):
        parse_brands(text)


def test_missing_brand_file_is_input_file_error(tmp_path):
    with pytest.raises(InputFileError):
        load_brands(tmp_path / "absent.toml")


def test_no_brand_at_all_is_a_usage_error():
    with pytest.raises(UsageError):
        compile_brands([])


def test_a_comment_under_a_post_about_the_brand_needs_no_context_word():
    lock = make_brand("Kryptonite", context=["lock", "cadenas"])
    page = Page(url="http://a.fr/p", blog="a.fr", text="Mon cadenas Kryptonite est solide.")
    comment = Comment(key="c", page=page.url, blog="a.fr", person="p", text="Kryptonite, not bad at all.")
    elsewhere = Comment(
        key="d", page="http://b.fr/q", blog="b.fr", person="p", text="Kryptonite, not bad at all."
    )
    owners = {m.comment or m.page for m in scan_records([page, comment, elsewhere], [lock])}
    assert owners == {page.url, "c"}


def test_home_and_archive_pages_do_not_count_their_posts_again():
    text = "Le cadenas Kryptonite est nul."
    pages = [
        Page(url=f"http://a.fr/{k}", blog="a.fr", kind=k, text=text)
        for k in ("post", "home", "archive", "page")
    ]
    assert sorted(m.page for m in scan_records(pages, [KRYPTONITE])) == [
        "http://a.fr/page",
        "http://a.fr/post",
    ]


def test_anchor_texts_of_citations_are_quotes_not_the_authors_opinion():
    page = Page(
        url="http://a.fr/p",
        blog="a.fr",
        title="Kryptonite : la suite",
        text="Kryptonite annonce un programme d'échange. D'après Kryptonite : le scandale du stylo. Le vélo reste au garage.",
    )
    link = make_link(page.url, "http://b.fr/scandale", "citation", anchor="Kryptonite : le scandale du stylo")
    (quoted,) = scan_records([page, link], [KRYPTONITE])
    (unquoted,) = scan_records([page], [KRYPTONITE])
    assert quoted.polarity == "neutral" and unquoted.polarity == "negative"
    assert scan_records([page], [KRYPTONITE], quoted_anchors([link], [KRYPTONITE])) == [quoted]


def test_the_title_speaks_only_when_the_text_does_not_name_the_brand():
    framed = Page(
        url="http://a.fr/p",
        blog="a.fr",
        title="Kryptonite : quel scandale",
        text="Kryptonite publie un communiqué.",
    )
    title_only = Page(
        url="http://a.fr/q", blog="a.fr", title="Kryptonite : quel scandale", text="Le communiqué est paru."
    )
    assert [m.polarity for m in scan_records([framed, title_only], [KRYPTONITE])] == ["neutral", "negative"]


def test_exclusion_word_in_another_sentence_does_not_reject_the_mention():
    text = "La tarte aux pommes est prête. Bravo à Orange : le technicien de ma box est venu."
    assert found(text, ORANGE) == ["orange"]


def test_a_copy_of_the_title_at_the_top_of_the_text_is_still_the_title():
    page = Page(
        url="http://a.fr/p",
        blog="a.fr",
        title="Kryptonite : quel scandale",
        text="Kryptonite : quel scandale Kryptonite publie un communiqué.",
    )
    assert [m.polarity for m in scan_records([page], [KRYPTONITE])] == ["neutral"]


WORDS = st.text(alphabet=st.characters(categories=("L", "N", "P", "Zs")), max_size=40)


@settings(max_examples=200, deadline=None)
@given(WORDS)
def test_folding_keeps_every_offset(text):
    assert len(fold_keep_offsets(text)) == len(text)


@settings(max_examples=200, deadline=None)
@given(
    WORDS,
    WORDS,
    st.sampled_from(["Kryptonite", "KRYPTONITE", "kryptonite", "Société Générale", "SOCIETE generale"]),
)
def test_an_alias_between_non_letters_is_always_found_where_it_stands(before, after, alias):
    text = f"{before} {alias}, {after}"
    found_spans = compile_brands([KRYPTONITE, SOCGEN]).occurrences(text)
    start = len(before) + 1
    assert (start, start + len(alias)) in [span for spans in found_spans.values() for span in spans]
