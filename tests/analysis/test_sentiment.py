"""Sentiment of hand-written French and English sentences of known polarity."""

import pytest

from graphscan.analysis.sentiment import mention_sentiment, polarity, score_text, sentence_spans

FRENCH = [
    ("J'adore ce forfait, le réseau est excellent.", "positive"),
    ("Les nouvelles fonctionnalités sont géniales.", "positive"),
    ("Franchement, c'est pas mal du tout !", "positive"),
    ("Ce n'est pas mauvais.", "positive"),
    ("Aucun problème avec ce vélo.", "positive"),
    ("C'est pas terrible.", "negative"),
    ("Ce cadenas est vraiment pas terrible.", "negative"),
    ("Je n'aime pas ce téléphone.", "negative"),
    ("Je ne l'aime pas.", "negative"),
    ("Le produit n'est plus fiable.", "negative"),
    ("Le service client est nul.", "negative"),
    ("Elle est très déçue par sa box.", "negative"),
    ("Le cadenas s'ouvre avec un stylo, quelle honte.", "negative"),
    ("Ce n'est pas très bon.", "negative"),
    ("Je ne le recommande pas.", "negative"),
    ("Livré sans aucun problème.", "positive"),
    ("Le cadenas est bon mais le service est nul.", "negative"),
    ("Rien ne fonctionne, quelle catastrophe.", "negative"),
    ("La livraison est prévue mardi.", "neutral"),
]

ENGLISH = [
    ("I love it!", "positive"),
    ("The new lock is excellent and very reliable.", "positive"),
    ("Not bad.", "positive"),
    ("Honestly, this lock is not bad at all.", "positive"),
    ("This is not good.", "negative"),
    ("I don't like this at all.", "negative"),
    ("Very disappointing lock.", "negative"),
    ("Never buy this lock, it's a scam.", "negative"),
    ("Not very good.", "negative"),
    ("I would not recommend it.", "negative"),
    ("It is not the worst lock.", "positive"),
    ("The lock is good but the service is terrible.", "negative"),
    ("The lock was delivered on Tuesday.", "neutral"),
]


@pytest.mark.parametrize(("sentence", "expected"), FRENCH)
def test_french_sentences_get_their_known_polarity(sentence, expected):
    assert polarity(score_text(sentence, "fr")) == expected


@pytest.mark.parametrize(("sentence", "expected"), ENGLISH)
def test_english_sentences_get_their_known_polarity(sentence, expected):
    assert polarity(score_text(sentence, "en")) == expected


def test_pas_terrible_is_negative_and_pas_mal_is_positive():
    assert score_text("pas terrible", "fr") < 0
    assert score_text("mal", "fr") < 0 < score_text("pas mal", "fr")


def test_not_bad_flips_bad():
    assert score_text("bad", "en") < 0 < score_text("not bad", "en")


def test_intensifiers_strengthen_in_both_languages():
    assert score_text("très bon", "fr") > score_text("bon", "fr") > 0
    assert score_text("vraiment mauvais", "fr") < score_text("mauvais", "fr") < 0
    assert score_text("very good", "en") > score_text("good", "en") > 0


def test_feminine_and_plural_forms_find_the_lexicon_word():
    assert score_text("des serrures défectueuses", "fr") < 0
    assert score_text("une offre avantageuse", "fr") > 0


def test_accents_and_case_do_not_change_the_score():
    assert score_text("TRÈS DÉÇU", "fr") == score_text("tres decu", "fr") < 0


def test_words_after_mais_weigh_more_than_words_before():
    assert score_text("Un peu cher mais excellent.", "fr") > score_text("Excellent mais un peu cher.", "fr")


def test_a_negation_does_not_reach_past_a_comma():
    assert score_text("Not the cheapest, but good.", "en") > 0


def test_unsupported_language_is_neutral():
    assert score_text("Das ist sehr schlecht.", "de") == 0.0


def test_mention_sentiment_reads_the_sentences_around_the_mention_only():
    # a blog post (longer than a tweet, whose every sentence is read)
    text = (
        "Great weather and a lovely day, the kind of autumn morning that makes the whole town walk slowly by "
        "the river and smile at strangers, with the market full of apples and pears and wonderful bread, "
        "and the children running between the stalls with their grandparents who remember older autumns. Bof. "
        "I bought a Kryptonite lock. It is useless and dangerous."
    )
    offset = text.index("Kryptonite")
    assert polarity(mention_sentiment(text, [offset], "en")) == "negative"
    assert score_text(text, "en") > mention_sentiment(text, [offset], "en")


def test_sentence_spans_cover_ellipsis_and_line_breaks():
    text = "Premier… Deuxième\nTroisième ? Quatrième"
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "Premier…",
        "Deuxième",
        "Troisième ?",
        "Quatrième",
    ]


# Families of errors measured on real reviews and tweets (issue 23); each failed before the fix.
FRENCH_INFLECTIONS = [
    "Une bonne série.",
    "De bonnes idées.",
    "Les acteurs sont géniaux.",
    "Cette série est phénoménale.",
    "Des héros charismatiques.",
    "Une série drôle.",
    "Des personnages attachants.",
]


@pytest.mark.parametrize("sentence", FRENCH_INFLECTIONS)
def test_french_inflected_praise_is_positive(sentence):
    assert polarity(score_text(sentence, "fr")) == "positive"


def test_informal_french_negation_without_ne():
    assert polarity(score_text("J'aime pas cette série.", "fr")) == "negative"
    assert polarity(score_text("Ça marche plus depuis la mise à jour, c'est nul.", "fr")) == "negative"


def test_a_negated_negative_is_only_mildly_positive():
    mild, praise = (
        score_text("C'est pas une mauvaise série.", "fr"),
        score_text("C'est une bonne série.", "fr"),
    )
    assert 0 < mild < praise
    assert 0 < score_text("not bad", "en") < score_text("good", "en")


def test_a_negation_reaches_only_the_first_opinion_word():
    assert polarity(score_text("aucun suspense nul", "fr")) == "negative"


@pytest.mark.parametrize(
    ("sentence", "language"),
    [
        ("Les acteurs sont bons mais le scénario est nul.", "fr"),
        ("The screen is great but the battery is useless.", "en"),
    ],
)
def test_the_clause_after_a_contrast_weighs_more(sentence, language):
    assert polarity(score_text(sentence, language)) == "negative"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The new MacBook is nothing short of wonderful.", "positive"),
        ("Car is sweet, SYNC is #EpicFail", "negative"),
        ("the desktop app is wack though", "negative"),
        ("Another #launchfail from them", "negative"),
        ("new phone arrived :(", "negative"),
        ("new phone arrived :)", "positive"),
        ("new phone arrived 😍", "positive"),
        ("I won't buy it again.", "negative"),  # "won't" is not "won" (+2.7); refusing to buy is a complaint
        ("still no response from support", "negative"),
        ("The pictures could have been better.", "negative"),  # "better" alone is praise
        ("I sent it back the next day.", "negative"),
    ],
)
def test_idioms_hashtags_emoticons_and_slang(sentence, expected):
    assert polarity(score_text(sentence, "en")) == expected


def test_capitals_and_elongation_intensify():
    assert score_text("This is GREAT news", "en") > score_text("This is great news", "en") > 0
    assert score_text("so goooood", "en") > score_text("so good", "en") > 0
    assert score_text("c'est nuuuul", "fr") < 0


def test_function_words_and_letters_carry_no_opinion():
    assert score_text("D'après lui, tout est prévu pour v . o . après la pause.", "fr") == 0.0


def test_each_brand_gets_the_opinion_of_its_own_clause():
    text = "J'adore Apple, mais Microsoft c'est vraiment nul."
    apple, microsoft = text.index("Apple"), text.index("Microsoft")
    assert polarity(mention_sentiment(text, [apple], "fr", [microsoft])) == "positive"
    assert polarity(mention_sentiment(text, [microsoft], "fr", [apple])) == "negative"


def test_a_tweet_is_read_whole():
    text = "@apple sells 4 million iPhones in a weekend ... Steve Jobs brilliance lives on for ever!"
    assert polarity(mention_sentiment(text, [0], "en")) == "positive"


def test_brands_scan_gives_two_brands_in_one_post_their_own_polarity(tmp_path, capsys):
    from graphscan.cli import run
    from graphscan.model import Blog, Mention, Page
    from graphscan.store.sqlite import SQLiteStore

    store = str(tmp_path / "graph.db")
    text = "Honestly I love my new Apple laptop, while Microsoft is a total joke and their updates suck."
    with SQLiteStore(store) as db:
        db.write(
            [
                Blog(key="b.com", url="http://b.com/"),
                Page(url="http://b.com/p", blog="b.com", title="Laptops", text=text),
            ]
        )
    brands = tmp_path / "brands.toml"
    brands.write_text('[[brand]]\nname = "Apple"\n[[brand]]\nname = "Microsoft"\n', encoding="utf-8")
    assert run(["brands", "scan", "--brands", str(brands), "--store", store]) == 0, capsys.readouterr().err
    with SQLiteStore(store) as db:
        found = {m.brand: m.polarity for m in db.iter_records(Mention)}
    assert found == {"apple": "positive", "microsoft": "negative"}


def _dev_set_accuracy():
    """Polar accuracy per set on the shared labelled set, scored as check.py scores it, and VADER's."""
    import json
    import re

    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from graphscan.analysis.language import detect_language
    from tests.conftest import shared_path

    vader, results = SentimentIntensityAnalyzer(), {}
    for path in sorted(shared_path("sentiment").glob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            item = json.loads(line)
            if item["label"] == "neutral":
                continue
            text = item["text"]
            offsets = [m.start() for m in re.finditer(re.escape(item.get("brand") or "\0"), text, re.I)]
            offsets = offsets or [a for a, _ in sentence_spans(text)] or [0]
            ours = polarity(mention_sentiment(text, offsets, detect_language(text)))
            theirs = polarity(vader.polarity_scores(text)["compound"]) if item["lang"] == "en" else ""
            for key in (path.stem, item["lang"]):
                results.setdefault(key, []).append(
                    (ours == item["label"], theirs == item["label"], ours == "neutral")
                )
    return {key: [sum(column) / len(rows) for column in zip(*rows)] for key, rows in results.items()}


def test_the_shared_labelled_set_beats_the_peers():
    scores = _dev_set_accuracy()
    english, french, brand_tweets = scores["en"], scores["fr"], scores["en_sanders_brands"]
    assert english[0] >= english[1] + 0.01  # VADER's accuracy on the same items
    assert brand_tweets[0] >= 0.65
    assert french[0] >= 0.78 and french[2] <= 0.08  # textblob-fr .654, vaderSentiment-fr .667


def test_emoticons_speak_in_any_language():
    assert polarity(score_text("Bis morgen, endlich Urlaub :)", "de")) == "positive"
    assert score_text("Das ist sehr schlecht.", "de") == 0.0
