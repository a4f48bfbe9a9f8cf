"""Coded messages: made through a domain's catalogue, worded only when shown."""

import pytest

from mentorship.lib.errors import ValidationFailed
from mentorship.lib.messages import Catalogue, Message, word, wording

SAMPLE = Catalogue(
    "sample",
    {
        "too_far": "The mentor works {minutes} minutes away.",
        "plain": "Nothing to add.",
    },
)


def test_a_message_is_a_code_and_parameters_worded_when_shown() -> None:
    message = SAMPLE("too_far", minutes=50)
    assert message == Message("sample.too_far", {"minutes": 50})
    assert word(message) == "The mentor works 50 minutes away."
    assert str(message) == "The mentor works 50 minutes away."


def test_a_translation_function_words_the_english_key() -> None:
    spanish = {"The mentor works {minutes} minutes away.": "El mentor trabaja a {minutes} minutos."}
    worded = word(SAMPLE("too_far", minutes=5), spanish.__getitem__)
    assert worded == "El mentor trabaja a 5 minutos."


def test_a_stored_message_reads_back_the_same() -> None:
    message = SAMPLE("too_far", minutes=12)
    assert Message.from_dict(message.as_dict()) == message
    assert wording("sample.plain") == "Nothing to add."


def test_a_sentence_made_of_sentences_is_worded_and_stored_whole() -> None:
    reasons = (SAMPLE("too_far", minutes=50), SAMPLE("plain"))
    outer = Message("sample.too_far", {"minutes": SAMPLE("plain")})
    listed = Message("sample.too_far", {"minutes": reasons})
    assert (
        word(listed)
        == "The mentor works The mentor works 50 minutes away.; Nothing to add. minutes away."
    )
    spanish = {"Nothing to add.": "Nada que añadir."}
    assert word(outer, lambda text: spanish.get(text, text)) == (
        "The mentor works Nada que añadir. minutes away."
    )
    assert Message.from_dict(listed.as_dict()) == listed
    assert Message.from_dict(outer.as_dict()) == outer


def test_plain_text_passes_through_unchanged() -> None:
    assert word("Ana's own words") == "Ana's own words"


def test_unknown_codes_and_missing_parameters_fail_where_the_message_is_made() -> None:
    with pytest.raises(KeyError, match="no message"):
        SAMPLE("nope")
    with pytest.raises(KeyError, match="minutes"):
        SAMPLE("too_far")
    with pytest.raises(KeyError, match="unknown message code"):
        word(Message("elsewhere.thing"))
    with pytest.raises(ValueError, match="already registered"):
        Catalogue("sample", {})


def test_a_refusal_keeps_the_code_and_offers_english_words() -> None:
    error = ValidationFailed({"mentor_id": SAMPLE("too_far", minutes=50), "note": "is too long"})
    assert error.reasons["mentor_id"] == SAMPLE("too_far", minutes=50)
    assert error.fields == {"mentor_id": "The mentor works 50 minutes away.", "note": "is too long"}
    assert error.message == "mentor_id: The mentor works 50 minutes away.; note: is too long"
