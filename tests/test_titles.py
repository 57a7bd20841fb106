"""Titles: the right candidate, without the site name, with entities repaired."""

from processing.page import read_page
from processing.pipeline import site_names
from processing.titles import common_affix, fix_text, pick_title, strip_site_name


def test_site_name_suffixes_and_prefixes_removed():
    assert strip_site_name("Missile fired | Yonhap News Agency", ["Yonhap News Agency"]) == (
        "Missile fired"
    )
    assert strip_site_name("Kim meets Putin - NK News - North Korea News", ["NK News"]) == (
        "Kim meets Putin"
    )
    assert strip_site_name("Pyongyang Monitor: markets react", ["Pyongyang Monitor"]) == (
        "markets react"
    )
    # a headline that merely mentions the site keeps its words
    assert strip_site_name("Kate Moss on the Vogue cover: a story", ["vogue"]) == (
        "Kate Moss on the Vogue cover: a story"
    )


def test_repeated_part_of_title_tag_is_the_site_name():
    assert common_affix("Kim meets Putin - NK News", "Kim meets Putin") == "NK News"
    assert common_affix("Kicker: Headline, Daily, 2024", "Headline") is None


def test_entities_and_mojibake_repaired():
    assert (
        fix_text("Samsung soll Smartphones zerst&ouml;ren") == "Samsung soll Smartphones zerstören"
    )
    assert fix_text("tras su sanciÃ³n") == "tras su sanción"
    assert fix_text("&#8216;family&#8217; plan") == "‘family’ plan"


def _title(html: str) -> str | None:
    url = "https://news.example/story/1"
    ex = read_page(html, url=url)
    return pick_title(ex, site_names(ex, url))


def test_h1_confirmed_by_metadata_beats_a_logo_h1():
    html = """<html><head><title>Border trade resumes at Sinuiju - Example News</title>
    <meta property="og:title" content="Border trade resumes at Sinuiju"></head><body>
    <h1>Example News</h1><article><h1>Border trade resumes at Sinuiju</h1>
    <p>Text of the story that is long enough to count as a body for trafilatura.</p></article>
    </body></html>"""
    assert _title(html) == "Border trade resumes at Sinuiju"


def test_title_tag_used_when_nothing_else_and_site_name_never_returned():
    html = """<html><head><title>Interning of small integers | Four Years Remaining</title>
    <meta property="og:site_name" content="Four Years Remaining"></head><body>
    <h1>Four Years Remaining</h1><p>A post about integers that is long enough.</p></body></html>"""
    assert _title(html) == "Interning of small integers"
