"""Transliteration and match keys for pairing names across Kazakh, Russian and English blocks."""

import pytest

from biblio.extract.translit import match_key, similarity, to_latin


@pytest.mark.parametrize(
    ("text", "lang", "latin"),
    [
        ("Мурат Насимов", "ru", "Murat Nasimov"),
        ("Жұмабаев", "kk", "Zhumabaev"),
        ("Әбдіқадырова", "kk", "Abdikadyrova"),
        ("Теңгеш Қаленова", "kk", "Tengesh Kalenova"),
        ("Өмірзақова Ұлжан Үмбетқызы", "kk", "Omirzakova Ulzhan Umbetkyzy"),
        ("Һәкім", "kk", "Hakim"),
        ("Щукин Хабаров Цой", "ru", "Shchukin Khabarov Tsoy"),
        ("Юлия Наталья Ёлкин", "ru", "Yuliya Natalya Yolkin"),
        ("Мельников Подъячев", "ru", "Melnikov Podyachev"),
        ("ЖҰМАБАЕВ Жұмабаев", "kk", "ZHUMABAEV Zhumabaev"),
        ("Айгүл Забирова", "ru", "Aygul Zabirova"),  # a Kazakh letter in a Russian block
        ("Murat Nassimov", "en", "Murat Nassimov"),
        ("К.К.Токаев, 2025", "ru", "K.K.Tokaev, 2025"),
    ],
)
def test_to_latin(text, lang, latin):
    assert to_latin(text, lang) == latin


@pytest.mark.parametrize(
    ("cyrillic", "lang", "spellings"),
    [
        ("Жұмабаев", "kk", ["Zhumabayev", "Jumabaev", "Zhumabaev", "Žumabaev"]),
        ("Насимов", "ru", ["Nassimov", "Nasimov"]),
        ("Басыгариева", "ru", ["Bassygariyeva", "Basygarieva", "Basigarieva"]),
        ("Бюлегенова", "ru", ["Byulegenova", "Biulegenova", "Bulegenova"]),
        ("Конрбаев", "ru", ["Konrbayev", "Konrbaev"]),
        ("Ибраев", "kk", ["Ibraev", "Ibrayev", "Ibraiev"]),
        ("Ерлан", "kk", ["Yerlan", "Erlan"]),
        ("Әлия", "kk", ["Aliya", "Aeliya", "Äliya", "Alia"]),
        ("Ахмет", "kk", ["Akhmet", "Ahmet"]),
        ("Щукин", "ru", ["Shchukin", "Schukin"]),
        ("Юрий", "ru", ["Yuriy", "Yury", "Iurii", "Yurii"]),
        ("Наталья", "ru", ["Natalya", "Natalia", "Nataliya"]),
        ("Қуандық", "kk", ["Kuandyk", "Kuandik", "Quandyq"]),
        ("Жұмабайқызы", "kk", ["Zhumabaikyzy", "Jumabaiqyzy", "Zhumabaykyzy"]),
        ("Сейтахметова", "ru", ["Seitakhmetova", "Seytakhmetova", "Seitahmetova"]),
        ("Шериязданов", "kk", ["Sheriyazdanov", "Sheriazdanov"]),
        ("Алексей", "ru", ["Aleksey", "Alexei", "Aleksei"]),
        ("Ұлжан", "kk", ["Ulzhan", "Uljan", "Ulzhan"]),
    ],
)
def test_match_key_folds_common_spellings(cyrillic, lang, spellings):
    key = match_key(cyrillic, lang)
    for spelling in spellings:
        assert match_key(spelling, "en") == key, spelling
        assert similarity(cyrillic, lang, spelling, "en") == 1.0


def test_match_key_shape():
    assert match_key("Насимов М.С.", "ru") == "nasimov m s"
    assert match_key("  Nassimov-Smith ", "en") == "nasimov smith"
    assert match_key("", "en") == ""


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Бауыржан", "Бауржан"),  # kk and ru spellings of one name
        ("Жұмабаев", "Zhumabayev"),
        ("Сейтқасымқызы", "Seitkassymkyzy"),
        ("Gulnar", "Гульнара"),
    ],
)
def test_similar_spellings_score_high(a, b):
    assert similarity(a, "kk", b, "en") >= 0.85


@pytest.mark.parametrize(
    ("a", "b"),
    [("Мурат", "Nassimov"), ("Гульнар", "Gulmira"), ("Айгерим", "Zhunussova"), ("Насимов", "")],
)
def test_different_names_score_low(a, b):
    assert similarity(a, "ru", b, "en") < 0.7


def test_similarity_is_symmetric_and_bounded():
    for a, b in [("Насимова", "Nassimov"), ("Тенгеш", "Теңгеш"), ("Омирзакова", "Өмірзақова")]:
        forward, backward = similarity(a, "ru", b, "kk"), similarity(b, "kk", a, "ru")
        assert 0.0 <= forward <= 1.0
        assert forward == pytest.approx(backward)


def test_fold_is_a_looser_fast_key_across_scripts():
    from biblio.extract.translit import fold

    assert fold("Казахстан") == fold("Қазақстан") == fold("Kazakhstan") == fold("QAZAQSTAN") == "kazakstan"
    assert fold("Казахстане").startswith(fold("Kazakhstan"))
    assert fold("Nassimov") == fold("Насимов")
