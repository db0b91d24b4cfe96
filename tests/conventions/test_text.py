"""Article texts: options, placeholders, numbering, and sanitising before HTML or PDF."""

import re

import pytest

from conventions.rendering.text import BLANK_HTML, FootnoteNumbering, apply_options, render_inline, render_text
from conventions.rendering.values import numbering, placeholder_values
from conventions.wording import FrenchList

COPIL = """Le comité de pilotage se réunit une fois par an.

::: if copil_presidency=alternating
Sa présidence est alternée.
:::

::: if copil_presidency=caf
Il est présidé par la Caf.
:::

::: if ctg_dans_ma_poche
Le suivi se fait dans « CTG dans ma poche ».
:::
"""


def test_the_chosen_option_prints_its_text_and_only_its_text():
    text = apply_options(COPIL, {"copil_presidency": "caf", "ctg_dans_ma_poche": False})
    assert "présidé par la Caf" in text
    assert "alternée" not in text
    assert "CTG dans ma poche" not in text
    assert ":::" not in text


def test_a_yes_no_option_adds_its_clause_when_true():
    assert "CTG dans ma poche" in apply_options(COPIL, {"ctg_dans_ma_poche": True})


def test_placeholders_take_the_convention_values_and_gaps_become_blanks():
    html = render_text(
        "Entre {{ caf }} et {{ collectivite }} : {{ historique }}.",
        {"caf": "la Caf du Nord", "collectivite": "la commune d'Armentières"},
        {},
    )
    assert "Entre la Caf du Nord et la commune d'Armentières" in html
    assert BLANK_HTML in html
    assert "{{" not in html


@pytest.mark.parametrize("leftover", ["XXX", "20XX", "(…)", "(...)", "……"])
def test_leftover_placeholders_of_the_models_never_print(leftover):
    html = render_text(f"La commune de {leftover} s'engage.", {}, {})
    assert leftover not in html
    assert BLANK_HTML in html


@pytest.mark.parametrize(
    "typed",
    [
        '<script>alert("x")</script>',
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">lien</a>',
        "<style>@import url(http://127.0.0.1/x.css);</style>",
    ],
)
def test_html_typed_in_an_article_shows_as_text_and_never_runs(typed):
    html = render_text(f"Texte {typed} fin", {}, {})
    assert "<script" not in html and "<img" not in html and "<style" not in html and "<a " not in html
    assert "&lt;" in html


def test_markdown_links_and_images_cannot_reach_local_files_or_run_script():
    html = render_text("![x](file:///etc/passwd) [y](javascript:alert(1)) [z](https://www.caf.fr)", {}, {})
    assert "<img" not in html
    assert "javascript:" not in html
    assert 'href="https://www.caf.fr"' in html


def test_a_value_holding_html_is_escaped_too():
    html = render_inline("{{ territoire }}", {"territoire": "<b>Voiron</b>"})
    assert "<b>" not in html and "&lt;b&gt;Voiron" in html


def test_markdown_keeps_its_lists_tables_and_quotes():
    html = render_text("- un\n- deux\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> cité", {}, {})
    assert "<li>un</li>" in html and "<table>" in html and "<blockquote>" in html


def test_a_footnote_links_back_to_its_call_in_french():
    html = render_text("Montant de référence[^1].\n\n[^1]: Montant N-1.", {}, {})
    assert 'title="Revenir à l\'appel de la note 1"' in html
    assert "Jump back" not in html


def test_a_link_inside_a_footnote_keeps_its_own_title():
    html = render_text("Voir le site[^1].\n\n[^1]: Sur [caf.fr](https://www.caf.fr).", {}, {})
    link = re.search(r'<a href="https://www.caf.fr"[^>]*>', html).group(0)
    assert "Revenir" not in link


def test_a_note_called_twice_has_each_call_anchored_in_its_text():
    """Two texts calling the same note label twice: no anchor is shared between them."""
    footnotes = FootnoteNumbering()
    texts = [
        render_text(f"Appel[^a] et rappel[^a] {key}.\n\n[^a]: Note.", {}, {}, footnotes.at(key))
        for key in ("article-1", "article-2")
    ]
    anchors = [re.findall(r'id="([^"]+)"', html) for html in texts]
    assert len(anchors[0]) == 3 and not set(anchors[0]) & set(anchors[1])
    assert all(f'href="#{anchor}"' in html for html, ids in zip(texts, anchors, strict=True) for anchor in ids)


class Section:
    def __init__(self, key, numbered=True):
        self.key, self.numbered = key, numbered


def test_numbering_is_computed_from_the_order_and_skips_unnumbered_sections():
    sections = [Section("preambule", numbered=False), Section("objet"), Section("duree")]
    assert numbering(sections) == {"objet": 1, "duree": 2}


@pytest.mark.django_db
def test_a_cross_reference_follows_the_annex_when_an_annex_is_removed(demo):
    convention = demo["isere-demo"]
    annexes = list(convention.annexes.order_by("position"))
    values = placeholder_values(convention, list(convention.articles.all()), annexes, [], [])
    plan_before = int(values["annexe_plan_actions"])
    first = annexes[0]
    assert first.key != "plan_actions"
    values = placeholder_values(convention, list(convention.articles.all()), annexes[1:], [], [])
    assert int(values["annexe_plan_actions"]) == plan_before - 1
    assert render_text("figurant en annexe {{ annexe_plan_actions }}", values, {}) == (
        f"<p>figurant en annexe {plan_before - 1}</p>"
    )


@pytest.mark.django_db
def test_every_option_of_every_model_prints_its_own_wording_and_hides_the_others():
    from conventions.models import ArticleTemplate, TemplateOption
    from conventions.rendering.text import OPTION_BLOCK_RE

    checked = 0
    for option in TemplateOption.objects.select_related("template"):
        values = [choice["value"] for choice in option.choices] or [True, False]
        sections = [
            *ArticleTemplate.objects.filter(template=option.template),
            *option.template.annexes.all(),
        ]
        for section in sections:
            blocks = [block for block in OPTION_BLOCK_RE.finditer(section.text) if block["key"] == option.key]
            for value in values:
                printed = apply_options(section.text, {option.key: value})
                for block in blocks:
                    wanted = block["value"] is None and value is True or block["value"] == str(value)
                    assert (block["body"] in printed) is wanted, (option.template.slug, section.key, option.key, value)
                    checked += 1
    assert checked > 10


def test_option_blocks_typed_in_a_browser_with_crlf_line_ends_still_work():
    typed = COPIL.replace("\n", "\r\n")
    text = apply_options(typed, {"copil_presidency": "caf"})
    assert "présidé par la Caf" in text and "alternée" not in text and ":::" not in text


def test_guillemets_hold_to_the_words_they_quote():
    html = render_text("sous la forme de « bonus territoire CTG ».", {}, {})
    assert "«\u00a0bonus territoire CTG\u00a0»" in html
    assert "«\u00a0la Caf\u00a0»" in render_inline("« la Caf »", {})


def test_a_list_of_parties_after_et_is_named_with_one_et_before_the_last():
    several = {
        "collectivites": FrenchList(["la commune de Voiron", "la communauté d'agglomération", "le Département"])
    }
    html = render_text("la Caf de l'Isère et {{ collectivites }} souhaitent conclure", several, {})
    assert html == (
        "<p>la Caf de l'Isère, la commune de Voiron, la communauté d'agglomération et le Département "
        "souhaitent conclure</p>"
    )


def test_a_single_party_after_et_keeps_the_et():
    one = {"collectivites": FrenchList(["la commune de Voiron"])}
    assert render_text("la Caf et {{ collectivites }} s'engagent", one, {}) == (
        "<p>la Caf et la commune de Voiron s'engagent</p>"
    )


VOIRON = {"collectivite": "la commune de Voiron", "caf": "Caf de l'Isère"}


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("{{ collectivite }} met en place des actions.", "<p>La commune de Voiron met en place des actions.</p>"),
        ("Le texte.\n\n{{ collectivite }} signe.", "<p>Le texte.</p>\n<p>La commune de Voiron signe.</p>"),
        ("Elle finance. {{ collectivite }} porte.", "<p>Elle finance. La commune de Voiron porte.</p>"),
        (
            "- {{ collectivite }} porte les équipements",
            "<ul>\n<li>La commune de Voiron porte les équipements</li>\n</ul>",
        ),
        ("Avec {{ collectivite }} et la Caf.", "<p>Avec la commune de Voiron et la Caf.</p>"),
        ("Les champs : {{ collectivite }} agit.", "<p>Les champs : la commune de Voiron agit.</p>"),
    ],
    ids=[
        "opening the text",
        "opening a paragraph",
        "after a full stop",
        "opening a list item",
        "inside a sentence",
        "after a colon, as French writes it",
    ],
)
def test_a_placeholder_opening_a_sentence_takes_a_capital(text, html):
    assert render_text(text, VOIRON, {}) == html


def test_a_placeholder_written_with_capitals_is_filled_like_its_name():
    assert render_text("Avec {{ Collectivite }} et {{CAF}}.", VOIRON, {}) == (
        "<p>Avec la commune de Voiron et Caf de l'Isère.</p>"
    )


def test_a_placeholder_no_value_fills_prints_a_blank_not_its_braces():
    html = render_text("Signé par {{ nom du maire }}.", VOIRON, {})

    assert "{{" not in html and BLANK_HTML in html
