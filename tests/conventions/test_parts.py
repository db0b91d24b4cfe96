"""A convention laid out part by part (issue 10): the joined PDF is the single pass's PDF, page by
page, and an edit lays out again only the part it changed."""

import weakref
from io import BytesIO

import pikepdf
import pytest
from pypdf import PdfReader

from conventions.rendering import parts
from conventions.rendering.document import build_document
from conventions.rendering.output import document_html, produce_pdf, render_convention, with_page_count
from conventions.rendering.pdf import layout, pdf_options
from tests.conventions.rendering_helpers import assert_same_document, links, page_texts

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def single_pass(html, quoted_pages):
    document = layout(with_page_count(html, quoted_pages))
    return document.write_pdf(**pdf_options(document, archival=False))


@pytest.mark.parametrize(
    "reference",
    [
        # a cover, a sommaire whose leaders give the page of each annex, a quoted page count
        "nord-armentieres-2023",
        # five annexes with tables repeated over pages, footnotes linked both ways
        "national-2025-demo",
    ],
)
def test_the_parts_joined_are_the_single_pass_page_by_page(demo, reference):
    html = document_html(build_document(demo[reference]), for_pdf=True)

    joined, page_count, quoted_pages = produce_pdf(html, reuse_parts=False)

    assert len(parts.split_into_parts(html)) > 3
    assert len(PdfReader(BytesIO(joined)).pages) == page_count
    assert_same_document(joined, single_pass(html, quoted_pages))


def test_a_first_render_writes_each_part_once_with_its_final_numbers(demo, layouts):
    """Nothing kept yet: the parts are measured first, so no part is written with numbers that the
    next pass would correct."""
    html = document_html(build_document(demo["national-2025-demo"]), for_pdf=True)

    joined, page_count, quoted_pages = produce_pdf(html)

    assert sorted(layouts) == sorted(part.html for part in parts.split_into_parts(html))
    assert_same_document(joined, single_pass(html, quoted_pages))


def test_the_sommaire_gives_the_page_of_an_annex_laid_out_in_another_part(demo):
    convention = demo["nord-armentieres-2023"]
    html = document_html(build_document(convention), for_pdf=True)
    joined, *_ = produce_pdf(html)
    texts = page_texts(joined)
    sommaire_page = next(number for number, text in enumerate(texts, 1) if "SOMMAIRE" in text)
    annex_page = next(number for number, text in enumerate(texts, 1) if number > sommaire_page and "ANNEXE 1" in text)
    first_annex = convention.annexes.order_by("position").first()

    line = next(line for line in texts[sommaire_page - 1].splitlines() if line.strip().startswith("Annexe 1 "))
    assert line.rstrip().endswith(f".{annex_page}")
    targets = {target for _, target, text in links(joined) if text == f"annexe-{first_annex.key}"}
    assert targets == {annex_page - 1}  # pages counted from 0


def first_editable_article(convention):
    return convention.articles.filter(editable=True).order_by("position").first()


def last_annex(convention):
    return convention.annexes.order_by("position").last()


@pytest.mark.parametrize(
    ("reference", "pick_section", "part_index"),
    [
        ("national-2025-demo", first_editable_article, 0),
        ("national-2025-demo", last_annex, -1),
        # the first part holds the sommaire, numbered from the annexes' parts
        ("nord-armentieres-2023", first_editable_article, 0),
    ],
)
def test_an_edit_lays_out_only_the_part_that_holds_it(demo, layouts, reference, pick_section, part_index):
    convention = demo[reference]
    render_convention(convention, preview=False)
    section = pick_section(convention)
    section.text += "\n\nUne phrase ajoutée par la Caf."
    section.save()
    layouts.clear()

    rendered = render_convention(convention, preview=False)

    html = document_html(build_document(convention), for_pdf=True)
    assert layouts == [parts.split_into_parts(html)[part_index].html]
    assert "Une phrase ajoutée par la Caf." in " ".join(page_texts(rendered.pdf))


def test_an_article_grown_by_pages_renumbers_every_part_after_it(demo, layouts):
    convention = demo["nord-armentieres-2023"]
    before = render_convention(convention, preview=False)
    article = convention.articles.filter(editable=True).order_by("position").first()
    article.text += "\n\n" + "\n\n".join(
        f"Paragraphe ajouté numéro {n}, assez long pour occuper une ligne." for n in range(90)
    )
    article.save()
    layouts.clear()

    after = render_convention(convention, preview=False)

    html = document_html(build_document(convention), for_pdf=True)
    assert after.page_count > before.page_count
    assert len(layouts) >= len(parts.split_into_parts(html))  # every part has new numbers
    assert_same_document(after.pdf, single_pass(html, after.quoted_pages))
    assert all(f"/ {after.page_count}" in text for text in page_texts(after.pdf)[1:-1])


def test_the_joined_structure_tree_keys_every_page_and_link_to_its_own_elements(demo):
    html = document_html(build_document(demo["national-2025-demo"]), for_pdf=True)
    joined, *_ = produce_pdf(html)
    document = pikepdf.open(BytesIO(joined))
    root = document.Root.StructTreeRoot
    numbers = list(root.ParentTree.Nums)
    parent_tree = dict(zip((int(key) for key in numbers[::2]), numbers[1::2], strict=True))

    assert len(parent_tree) == len(numbers) // 2  # no key used twice
    assert int(root.ParentTreeNextKey) > max(parent_tree)
    for page in document.pages:
        marked = parent_tree[int(page.obj.StructParents)]
        assert all(element.Pg.objgen == page.objgen for element in marked)
        for annotation in page.obj.get("/Annots", []):
            link = parent_tree[int(annotation.StructParent)]
            assert any(
                isinstance(kid, pikepdf.Dictionary)
                and kid.get("/Obj") is not None
                and kid.Obj.objgen == annotation.objgen
                for kid in link.K
            )


def test_a_title_with_quotes_and_backslashes_reaches_the_annex_footers_as_written(demo):
    convention = demo["national-2025-demo"]
    convention.title = 'CTG « Les "Maures" » \\ 2025'
    convention.save()
    html = document_html(build_document(convention), for_pdf=True)

    joined, page_count, quoted_pages = produce_pdf(html)

    assert page_texts(joined)[-2].count('CTG « Les "Maures" » \\ 2025') == 1
    assert page_texts(joined) == page_texts(single_pass(html, quoted_pages))


def test_a_part_laid_out_is_freed_before_the_next_is_laid_out(demo, monkeypatch):
    """A render holds one laid-out part at a time, not all of them (memory of the worker)."""
    real_layout = parts.layout
    documents, alive_when_the_next_starts = [], []

    def remembering_layout(html, **options):
        alive_when_the_next_starts.extend(document() is not None for document in documents)
        documents.clear()
        document = real_layout(html, **options)
        documents.append(weakref.ref(document.pages[0]._page_box))  # the boxes hold cycles
        return document

    monkeypatch.setattr(parts, "layout", remembering_layout)
    html = document_html(build_document(demo["national-2025-demo"]), for_pdf=True)
    produce_pdf(html, reuse_parts=False)

    assert len(alive_when_the_next_starts) >= 4
    assert not any(alive_when_the_next_starts)
