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
    assert [text[a:b] for a, b in sentence_spans(text)] == ["Premier…", "Deuxième", "Troisième ?", "Quatrième"]
