"""Text cleanup: normalisation, boilerplate, captions, page furniture."""

from processing.text import (
    compile_patterns,
    drop_boilerplate,
    drop_page_furniture,
    normalise,
    split_caption_run_ins,
    trim_trailing_boilerplate,
    word_count,
)


def test_normalise_composes_and_keeps_curly_quotes():
    text = normalise("Kim Jong Un’s  “plan”\u00a0was\r\n\n\n\nre\u0301vised")
    assert text == "Kim Jong Un’s “plan” was\n\nrévised"


def test_declared_boilerplate_paragraphs_are_dropped():
    patterns = compile_patterns([r"^Advertisements, links with an http address"])
    text = "Story.\nAdvertisements, links with an http address and bad language will be deleted."
    assert drop_boilerplate(text, patterns) == "Story."


def test_caption_credit_run_in_is_split_from_the_next_sentence():
    glued = "Sacks of rice in Hyesan. Image: Daily NKTraders said prices rose."
    assert split_caption_run_ins(glued) == (
        "Sacks of rice in Hyesan. Image: Daily NK\nTraders said prices rose."
    )
    assert split_caption_run_ins("Image: Daily NK shows a market.") == (
        "Image: Daily NK shows a market."
    )


def test_page_furniture_removed_story_kept():
    text = "Rice prices climb\nBy Jane Roe\n|\nPhoto: AFP\nRice prices climbed again."
    assert drop_page_furniture(text, "Rice prices climb", "By Jane Roe") == (
        "Rice prices climbed again."
    )
    # the same words deep in the story are content, not a repeated headline
    story = "\n".join(["a"] * 5 + ["Rice prices climb"])
    assert drop_page_furniture(story, "Rice prices climb", None).endswith("Rice prices climb")


def test_trailing_calls_to_action_trimmed_but_not_content():
    text = "The story ends here.\nShare this article\nComments"
    assert trim_trailing_boilerplate(text) == "The story ends here."
    long = "Officials said comments on the plan would be published after the meeting ended."
    assert trim_trailing_boilerplate(f"Start.\n{long}") == f"Start.\n{long}"


def test_word_count_for_korean_text():
    assert word_count("north korea fires missile") == 4
    assert word_count("북한이동해상으로탄도미사일을발사했다") > 5
