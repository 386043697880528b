from counter_app.domain.search_keys import (
    MAX_QUERY_CHARS,
    MAX_QUERY_WORDS,
    address_key,
    bounded_query,
    name_key,
    phone_key,
    search_words,
    street_key,
)


def test_addresses_meet_in_one_spelling() -> None:
    assert address_key("1200 Oak Street") == address_key("1200 OAK ST.") == "1200 OAK ST"


def test_street_key_puts_the_street_first() -> None:
    assert street_key("1200 Oak Street") == "OAK ST 1200"


def test_accented_names_fold_to_ascii() -> None:
    assert name_key("Núñez, José") == "NUNEZ JOSE"


def test_phone_key_puts_the_local_number_first() -> None:
    assert phone_key("+1 (555) 010-2000") == "0102000555"
    assert phone_key("010-2000") == "0102000"


def test_search_words_are_every_word_of_name_and_address_spelt_as_the_keys() -> None:
    assert search_words("Lopez, Ana Mary", "77 Old Mill Road") == {
        "LOPEZ",
        "ANA",
        "MARY",
        "77",
        "OLD",
        "MILL",
        "RD",
    }


def test_search_words_fold_accents_and_drop_single_letters() -> None:
    assert search_words("Núñez, José A", "5 North Elm Street Apt B") == {
        "NUNEZ",
        "JOSE",
        "ELM",
        "ST",
        "APT",
    }


def test_a_query_is_cut_to_its_first_words_and_the_longest_key() -> None:
    assert bounded_query("  smith j  ") == ("smith j", False)
    words = " ".join(f"w{i}" for i in range(MAX_QUERY_WORDS + 2))
    assert bounded_query(words) == (" ".join(words.split()[:MAX_QUERY_WORDS]), True)
    assert bounded_query("x" * 10_000) == ("x" * MAX_QUERY_CHARS, True)
