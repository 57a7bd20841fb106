"""Authors (processing.authors.pick_authors, through clean) on small pages written for these
tests, one rule each."""

from __future__ import annotations

import json

import pytest

from corpus.source import Hints, Source
from processing import RawPage, clean
from processing.bylines import Byline

BODY = (
    "<p>Officials in the border county said on Monday that the new customs post would open "
    "next spring, after two years of delays caused by flooding and a shortage of materials.</p>"
    "<p>Traders who cross the river every week said they expected the post to shorten the "
    "queues that now stretch for several kilometres on market days.</p>"
    "<p>The county council has not said how many officers will work at the new building.</p>"
)


def make_page(
    article: str = "",
    *,
    head: str = "",
    after: str = "",
    title: str = "New customs post to open in spring",
    site: str = "Border Gazette",
    body: str = BODY,
) -> str:
    """A news page: head tags, the headline, ``article`` markup, the body, then ``after``."""
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title} | {site}</title>
<meta property="og:site_name" content="{site}">
<meta property="og:title" content="{title}">
<link rel="canonical" href="https://gazette.example/news/customs-post/">
{head}</head><body>
<header class="site-header"><a class="logo" href="/">{site}</a>
<nav class="menu"><a href="/authors/">Our authors</a> <a href="/about/">About</a></nav></header>
<main><article class="post">
<h1 class="entry-title">{title}</h1>
{article}
<div class="entry-content">{body}</div>
</article>{after}</main>
<footer class="site-footer">Copyright Border Gazette</footer></body></html>"""


def jsonld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def authors_of(
    html: str, source: Source | None = None, url: str = "https://gazette.example/news/customs-post/"
) -> Byline:
    """The authors and credits the whole cleaning stage gives the page."""
    article = clean(RawPage(url=url, body=html.encode("utf-8")), source)
    return Byline(authors=article.authors, credited=article.credited)


# --------------------------------------------------------------------------- JSON-LD


def test_jsonld_persons_are_authors_and_organisations_are_credited():
    head = jsonld(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": "New customs post to open in spring",
            "author": [
                {"@type": "Person", "name": "Mira Castellanos"},
                {"@type": "Person", "name": "TOMASZ WIERZBICKI"},
                {"@type": "Organization", "name": "Valley Wire Service"},
            ],
        }
    )
    byline = authors_of(make_page(head=head))
    assert byline.authors == ("Mira Castellanos", "Tomasz Wierzbicki")
    assert "Valley Wire Service" in byline.credited


def test_jsonld_author_reference_is_resolved_in_the_graph():
    head = jsonld(
        {
            "@context": "https://schema.org",
            "@graph": [
                {
                    "@type": "Article",
                    "headline": "New customs post to open in spring",
                    "author": {"@id": "https://gazette.example/#/person/7"},
                },
                {
                    "@type": "Person",
                    "@id": "https://gazette.example/#/person/7",
                    "name": "Ilse Brandt",
                },
            ],
        }
    )
    assert authors_of(make_page(head=head)).authors == ("Ilse Brandt",)


def test_jsonld_author_string_with_two_names_is_split():
    head = jsonld({"@type": "NewsArticle", "author": "Ilse Brandt and Omar Haddad"})
    assert authors_of(make_page(head=head)).authors == ("Ilse Brandt", "Omar Haddad")


def test_jsonld_person_named_like_the_site_is_credited_not_an_author():
    head = jsonld({"@type": "NewsArticle", "author": {"@type": "Person", "name": "Border Gazette"}})
    byline = authors_of(make_page(head=head))
    assert byline.authors == ()
    assert "Border Gazette" in byline.credited


def test_jsonld_user_name_takes_the_spelling_the_page_shows():
    head = jsonld({"@type": "NewsArticle", "author": {"@type": "Person", "name": "ilsebrandt"}})
    article = '<div class="byline">By <span class="author-name">Ilse Brandt</span></div>'
    assert authors_of(make_page(article, head=head)).authors == ("Ilse Brandt",)


# --------------------------------------------------------------------------- meta


def test_meta_author_url_is_ignored_and_the_name_used():
    head = (
        '<meta property="article:author" content="https://www.facebook.com/bordergazette">'
        '<meta name="author" content="Omar Haddad">'
    )
    assert authors_of(make_page(head=head)).authors == ("Omar Haddad",)


def test_meta_author_holding_prose_is_not_a_byline():
    head = '<meta name="author" content="Webdesign in Springfield - Pixel und Partner">'
    assert authors_of(make_page(head=head)).authors == ()


def test_written_by_label_of_seo_plugins():
    head = (
        '<meta name="twitter:label1" content="Written by">'
        '<meta name="twitter:data1" content="Ilse Brandt">'
    )
    assert authors_of(make_page(head=head)).authors == ("Ilse Brandt",)


# --------------------------------------------------------------------------- shown bylines


def test_rel_author_link():
    article = (
        '<p class="meta">Posted on 3 May 2024 by <a rel="author" href="/u/7">Omar Haddad</a></p>'
    )
    assert authors_of(make_page(article)).authors == ("Omar Haddad",)


def test_itemprop_author_with_nested_name():
    article = (
        '<div itemprop="author" itemscope itemtype="https://schema.org/Person">'
        '<img src="/a.jpg" alt=""><span itemprop="name">Mira Castellanos</span>'
        '<span itemprop="jobTitle">Senior correspondent</span></div>'
    )
    assert authors_of(make_page(article)).authors == ("Mira Castellanos",)


def test_byline_in_the_article_not_the_related_box():
    article = '<div class="byline">By Ilse Brandt | May 3, 2024</div>'
    after = (
        '<section class="related-posts"><h2>More news</h2>'
        '<article><h3><a href="/x/">Bridge reopens</a></h3><span class="byline">By Karl Osei</span>'
        "</article></section>"
    )
    assert authors_of(make_page(article, after=after)).authors == ("Ilse Brandt",)


def test_comment_authors_are_never_authors():
    after = (
        '<section id="comments"><ol class="comment-list"><li class="comment">'
        '<div class="comment-author vcard"><cite class="fn">Paula Jennings</cite> says:</div>'
        "<p>Great news for the valley.</p></li></ol></section>"
    )
    assert authors_of(make_page(after=after)).authors == ()


def test_author_boxes_of_other_articles_are_ignored():
    article = '<div class="byline">By Omar Haddad</div>'
    after = (
        '<aside class="sidebar"><div class="widget"><h3>Popular</h3>'
        '<div class="post-author">Lena Fischer</div><div class="post-author">Karl Osei</div>'
        "</div></aside>"
    )
    assert authors_of(make_page(article, after=after)).authors == ("Omar Haddad",)


def test_label_alone_before_the_name():
    article = (
        '<div class="meta"><span class="sr-only">By</span> <a href="/u/3">Lena Fischer</a></div>'
    )
    assert authors_of(make_page(article)).authors == ("Lena Fischer",)


def test_german_label_in_a_plain_paragraph():
    article = '<p class="meta-info">von <a href="/autoren/omar">Dr. Omar Haddad</a></p>'
    assert authors_of(make_page(article)).authors == ("Dr. Omar Haddad",)


@pytest.mark.parametrize(
    "raw",
    ["By Staff", "No Comments", "Email the author", "By | May 3, 2024 | No Comments"],
)
def test_noise_bylines_give_no_person(raw: str):
    article = f'<div class="byline">{raw}</div>'
    assert authors_of(make_page(article)).authors == ()


def test_staff_is_credited():
    article = '<div class="byline">By Staff</div>'
    assert "Staff" in authors_of(make_page(article)).credited


def test_one_word_user_name_in_author_markup():
    article = (
        '<span class="byline">von <span class="author vcard"><a href="/u/">tlow</a></span></span>'
    )
    assert authors_of(make_page(article)).authors == ("tlow",)


def test_one_word_in_prose_is_no_name():
    article = (
        '<p class="author-bio">Alles über Lautsprecher, Heimkino und Trends, jede Woche neu.</p>'
    )
    assert authors_of(make_page(article)).authors == ()


@pytest.mark.parametrize(
    "caption",
    [
        "The river crossing. <span>Photo by</span> <span>Karl Osei</span>",
        "<p>The river crossing.</p><p>By Karl Osei</p>",
        '<span itemprop="author">Karl Osei</span>',
    ],
)
def test_photo_credit_in_a_caption_is_no_author(caption: str):
    article = f'<figure><img src="/p.jpg" alt=""><figcaption>{caption}</figcaption></figure>'
    assert authors_of(make_page(article)).authors == ()


def test_author_portrait_caption_with_author_class_counts():
    article = (
        '<figure class="author-card"><img src="/a.jpg" alt="">'
        '<figcaption><address class="author">Von Lena Fischer, Redakteurin</address></figcaption>'
        "</figure>"
    )
    assert authors_of(make_page(article)).authors == ("Lena Fischer",)


def test_quote_attribution_is_no_author():
    article = (
        '<blockquote class="pull-quote"><p>We waited long enough.</p>'
        '<p class="quote-author">By Karl Osei, trader</p></blockquote>'
    )
    assert authors_of(make_page(article)).authors == ()


def test_translator_is_no_author():
    article = (
        '<div class="post-author-box"><div class="post-author">Von: <a>Omar Haddad</a></div>'
        '<div class="post-author">Übersetzt von: <a class="author">Lena Fischer</a></div></div>'
    )
    assert authors_of(make_page(article)).authors == ("Omar Haddad",)


def test_site_name_in_the_byline_is_credited():
    article = '<div class="byline">By Border Gazette</div>'
    byline = authors_of(make_page(article))
    assert byline.authors == ()
    assert "Border Gazette" in byline.credited


def test_signature_under_the_article():
    body = BODY + '<p style="text-align:right;"><strong>Lena Fischer</strong></p>'
    assert authors_of(make_page(body=body)).authors == ("Lena Fischer",)


def test_signature_in_brackets_after_the_last_sentence():
    body = BODY + "<p>The post opens in April. (Karl P. Osei)</p>"
    assert authors_of(make_page(body=body)).authors == ("Karl P. Osei",)


def test_no_author_at_all():
    assert authors_of(make_page()).authors == ()


# --------------------------------------------------------------------------- several authors


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        (
            "By Ilse Brandt, Omar Haddad and Lena Fischer",
            ["Ilse Brandt", "Omar Haddad", "Lena Fischer"],
        ),
        ("Ilse Brandt & Omar Haddad", ["Ilse Brandt", "Omar Haddad"]),
        ("Von Ilse Brandt und Omar Haddad", ["Ilse Brandt", "Omar Haddad"]),
        ("Por Ana María López y Juan Pérez", ["Ana María López", "Juan Pérez"]),
        ("Par Claire Dubois et Marc Lefèvre", ["Claire Dubois", "Marc Lefèvre"]),
        (
            "Trine Juncher Jørgensen og Tôrtia Reimer-Johansen",
            ["Trine Juncher Jørgensen", "Tôrtia Reimer-Johansen"],
        ),
        ("강미진·설송아 기자", ["강미진", "설송아"]),
        ("by KIM TONG-HYUNG and HYUNG-JIN KIM", ["Kim Tong-hyung", "Hyung-jin Kim"]),
    ],
)
def test_several_authors_in_one_byline(raw: str, names: list[str]):
    article = f'<div class="byline">{raw}</div>'
    assert list(authors_of(make_page(article)).authors) == names


def test_byline_split_over_elements():
    article = (
        '<div class="v-byline">By <span class="v-byline-unit"><a class="author-name">Ilse Brandt'
        '</a></span> <span>and</span> <span class="v-byline-unit"><a class="author-name">Omar '
        "Haddad</a></span></div>"
    )
    assert authors_of(make_page(article)).authors == ("Ilse Brandt", "Omar Haddad")


# --------------------------------------------------------------------------- Korean pages


def test_korean_byline_with_posted_and_edited_times():
    article = (
        '<div class="article-byline"><span class="writer">김수연 기자</span>'
        '<span class="date">입력 2020.06.16 15:52 수정 2020.06.16 15:55</span></div>'
    )
    assert authors_of(make_page(article)).authors == ("김수연",)


def test_korean_outlet_and_reporter_in_brackets():
    article = '<p class="byline">[코리아헤럴드=김아린 기자]</p>'
    byline = authors_of(make_page(article))
    assert byline.authors == ("김아린",)
    assert "코리아헤럴드" in byline.credited


# --------------------------------------------------------------------------- sources


def test_the_source_byline_selector_wins():
    source = Source(
        key="gazette",
        name="Border Gazette",
        homepage="https://gazette.example/",
        language="en",
        hints=Hints(byline_css=".writer"),
        author_aliases={"Kang Mijin": "Kang Mi Jin"},
    )
    head = jsonld({"@type": "NewsArticle", "author": {"@type": "Person", "name": "Omar Haddad"}})
    article = '<p class="writer">KANG MIJIN | 2018-04-11 16:59</p>'
    assert authors_of(make_page(article, head=head), source).authors == ("Kang Mi Jin",)


# --------------------------------------------------------------------------- page layout


def test_layout_classes_around_the_article_do_not_hide_the_byline():
    article = '<div class="byline">By Lena Fischer</div>'
    html = make_page(article).replace("<main>", '<main class="layout has-sidebar comments-open">')
    html = html.replace(
        '<article class="post">', '<div class="right-sidebar"><article class="post">'
    )
    html = html.replace("</article>", "</article></div>")
    assert authors_of(html).authors == ("Lena Fischer",)


def test_a_page_of_several_posts_gives_the_first_posts_author():
    posts = "".join(
        f'<div class="post"><h2 class="entry-title">{title}</h2><div class="entry-meta">'
        f'<span class="meta-prep">Posted on</span> <span class="date">May {day}, 2024</span> '
        f'<span class="by">by</span> <span class="author vcard">{name}</span></div>{BODY}</div>'
        for title, day, name in [
            ("New customs post to open in spring", 3, "uriebe"),
            ("Bridge reopens after repairs", 2, "Karl Osei"),
            ("Market day moves to Friday", 1, "Karl Osei"),
        ]
    )
    html = make_page(body="").replace('<h1 class="entry-title">', '<h1 class="site-title">')
    html = html.replace('<div class="entry-content"></div>', posts)
    assert authors_of(html).authors == ("uriebe",)


def test_blog_sub_domain_is_its_writers_name_not_the_site():
    url = "https://tlow.blogs.example/2024/05/customs-post/"
    article = '<span class="byline">von <span class="author vcard">tlow</span></span>'
    html = make_page(article, site="Notes from the valley").replace(
        "https://gazette.example/news/customs-post/", url
    )
    assert authors_of(html, url=url).authors == ("tlow",)


def test_byline_naming_the_registered_domain_is_credited():
    url = "https://www.valleypost.example/2024/05/customs-post/"
    article = '<div class="byline">By Valleypost</div>'
    html = make_page(article).replace("https://gazette.example/news/customs-post/", url)
    assert authors_of(html, url=url).authors == ()


def test_trafilatura_reads_an_author_markup_no_other_rule_knows():
    page = make_page('<span data-testid="AuthorCard">Jane Roe</span>')
    article = clean(RawPage(url="https://gazette.example/news/customs-post/", body=page.encode()))
    assert article.authors == ("Jane Roe",)
    assert article.byline_raw == "Jane Roe"


def test_trafilatura_walks_the_page_for_an_author_only_when_no_rule_named_one(monkeypatch):
    import processing.extract

    def walked(tree):
        raise AssertionError("trafilatura's author search ran")

    monkeypatch.setattr(processing.extract.traf_metadata, "extract_author", walked)
    page = make_page('<p class="byline">By Jane Roe</p>')
    article = clean(RawPage(url="https://gazette.example/news/customs-post/", body=page.encode()))
    assert article.authors == ("Jane Roe",)
