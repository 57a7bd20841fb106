"""Language identification: deterministic, evidence-aware."""

from processing.language import detect_language, hangul_share, primary_subtag

ENGLISH = (
    "North Korea launched a ballistic missile into the sea off its east coast on "
    "Thursday, the South Korean military said, the third launch this month."
)
ZULU = (
    "UMongameli uthe uhulumeni uzoqhubeka nokusiza abantu abahlala ezindaweni "
    "zasemakhaya ukuze bathole amanzi ahlanzekile nogesi ezinyangeni ezizayo."
)


def test_deterministic():
    assert {detect_language(ENGLISH) for _ in range(10)} == {"en"}


def test_short_text_falls_back_to_the_declared_language():
    assert detect_language("Kim.", declared="en-US") == "en"
    assert detect_language("", declared="ko_KR") == "ko"


def test_mostly_korean_text_with_english_words_is_korean():
    mixed = (
        "북한이 ICBM 발사를 준비하고 있다고 CNN과 NK News가 보도했다. 군 당국은 감시를 강화했다."
    )
    assert hangul_share(mixed) > 0.3
    assert detect_language(mixed, declared="en") == "ko"


def test_languages_langdetect_does_not_know():
    assert detect_language(ZULU, declared="en") == "zu"


def test_primary_subtag():
    assert primary_subtag("zh-TW") == "zh"
    assert primary_subtag("nonsense-value-") is None


def test_declared_language_confirmed_by_langdetect_needs_no_second_opinion(monkeypatch):
    import processing.language as language

    asked = []
    monkeypatch.setattr(language, "second_opinion", lambda text: asked.append(text) or None)
    assert detect_language(ENGLISH, declared="en-GB") == "en"
    assert asked == []
    assert detect_language(ENGLISH, declared=None) == "en"  # nothing to confirm it: asked
    assert len(asked) == 1
