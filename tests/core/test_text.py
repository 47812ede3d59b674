from __future__ import annotations

from shudarga.core.text import mixed_script_tokens, mn_sort_key, search_key


def test_search_key_folds_cyrillic():
    assert search_key("ӨРГӨДӨЛ", None, "Гомдол") == "өргөдөл гомдол"
    assert "өргөдөл" in search_key("ӨРГӨДӨЛ")


def test_mn_sort_key_sorts_in_the_mongolian_alphabet():
    words = ["яргай", "үүр", "өвс", "ёс", "ус", "авлига", "Өргөдөл", "Ер", "шударга", "2023"]
    assert sorted(words, key=mn_sort_key) == [
        "2023", "авлига", "Ер", "ёс", "өвс", "Өргөдөл", "ус", "үүр", "шударга", "яргай",
    ]  # fmt: skip
    assert all(ch.isdigit() for ch in mn_sort_key("Өргөдөл ABC"))


def test_mixed_script_tokens_finds_look_alikes():
    assert mixed_script_tokens("khutulbur.iaас.mn цахим") == ["khutulbur.iaас.mn"]
    assert mixed_script_tokens("khutulbur.iaac.mn цахим") == []
    assert mixed_script_tokens("“E-Mongolia”-аар үйлчилнэ, Facebook-ийн хуудас") == []
