"""Join PDFs that WeasyPrint rendered from consecutive parts of one document into the PDF a single
pass would have given: pages in order, one structure tree, one name tree of destinations, one
outline. pikepdf (qpdf) copies the objects; what WeasyPrint numbers per file is renumbered here."""

import hashlib
import io
from dataclasses import dataclass

import pikepdf
from weasyprint.anchors import make_page_bookmark_tree
from weasyprint.matrix import Matrix

# A part's links to anchors held by another part point here, followed by the anchor (parts.py).
CROSS_PART_LINK = "https://parts.ctg.invalid/#"


@dataclass
class PartPdf:
    pdf: bytes
    page_count: int
    anchors: dict  # anchor name -> page index within the part, for the anchors the part holds
    bookmarks: list  # [level, label, page index, x, y, state], in PDF units, in document order


def merge_parts(parts):
    """One PDF from the parts' PDFs. The first part's catalog (language, metadata, viewer
    preferences) is kept; each following part's pages, structure elements and destinations are
    appended to it."""
    if len(parts) == 1:
        return parts[0].pdf
    merged = pikepdf.open(io.BytesIO(parts[0].pdf))
    structure = StructureTree(merged)
    destinations = named_destinations(merged, merged)
    # qpdf may read a copied stream from its source only when the merged PDF is written.
    sources = []
    for part in parts[1:]:
        source = pikepdf.open(io.BytesIO(part.pdf))
        sources.append(source)
        first_new_page = len(merged.pages)
        merged.pages.extend(source.pages)
        structure.append(source, merged.pages[first_new_page:])
        destinations += named_destinations(merged, source)
    structure.write()
    write_destinations(merged, destinations)
    link_across_parts(merged)
    write_outline(merged, parts)
    share_identical_images(merged)
    output = io.BytesIO()
    merged.save(output, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return output.getvalue()


class StructureTree:
    """The first part's structure tree, growing with the next parts' elements. Each page's
    /StructParents and each annotation's /StructParent key the tree's ParentTree: a part's keys
    start at 0, so they move past the keys already used."""

    def __init__(self, merged):
        self.merged = merged
        self.root = merged.Root.get("/StructTreeRoot")
        if self.root is None:
            return
        self.document = self.root.K[0]
        self.numbers = list(self.root.ParentTree.Nums)
        self.next_key = next_key(self.root, self.numbers)

    def append(self, source, new_pages):
        source_root = source.Root.get("/StructTreeRoot")
        if self.root is None or source_root is None:
            return
        offset = self.next_key
        for page in new_pages:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annotation in page.obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + offset
        # Copied after the pages: qpdf maps the elements' /Pg and /Obj to the pages and
        # annotations already copied.
        source_document = self.merged.copy_foreign(source_root.K[0])
        for kid in source_document.K:
            if isinstance(kid, pikepdf.Dictionary):
                kid.P = self.document
            self.document.K.append(kid)
        source_numbers = list(self.merged.copy_foreign(source.make_indirect(source_root.ParentTree.Nums)))
        for key, value in zip(source_numbers[::2], source_numbers[1::2], strict=True):
            self.numbers += [int(key) + offset, value]
        self.next_key = offset + next_key(source_root, source_numbers)

    def write(self):
        if self.root is None:
            return
        self.root.ParentTree = self.merged.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(self.numbers)))
        self.root.ParentTreeNextKey = self.next_key


def next_key(structure_root, numbers):
    if "/ParentTreeNextKey" in structure_root:
        return int(structure_root.ParentTreeNextKey)
    return max((int(key) for key in numbers[::2]), default=-1) + 1


def named_destinations(merged, source):
    """The part's named destinations."""
    names = source.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return []
    array = names.Dests.Names
    if source is not merged:
        array = merged.copy_foreign(source.make_indirect(array))
    items = list(array)
    return list(zip(items[::2], items[1::2], strict=True))


def link_across_parts(merged):
    """A link to another part becomes the link to a named destination a single pass writes."""
    for page in merged.pages:
        for annotation in page.obj.get("/Annots", []):
            action = annotation.get("/A")
            target = str(action.get("/URI", "")) if action is not None else ""
            if target.startswith(CROSS_PART_LINK):
                anchor = pikepdf.String(target.removeprefix(CROSS_PART_LINK))
                del annotation.A
                annotation.Dest = anchor
                if "/Contents" in annotation:  # a tagged PDF's link text alternative
                    annotation.Contents = anchor


def write_destinations(merged, destinations):
    """A name tree's keys are sorted (ISO 32000-1, 7.9.6)."""
    if not destinations:
        return
    destinations.sort(key=lambda item: bytes(item[0]))
    flat = pikepdf.Array([item for pair in destinations for item in pair])
    if "/Names" not in merged.Root:
        merged.Root.Names = pikepdf.Dictionary()
    merged.Root.Names.Dests = pikepdf.Dictionary(Names=flat)


def share_identical_images(merged):
    """Each part embeds its own copy of the same images (the draft watermark on every page): the
    pages keep the first copy, and the others, no longer referenced, are not written."""
    first_copies, visited = {}, set()

    def visit(resources):
        if resources is None:
            return
        if resources.is_indirect:  # shared by the pages of a part: looked at once
            if resources.objgen in visited:
                return
            visited.add(resources.objgen)
        xobjects = resources.get("/XObject") or {}
        for name in list(xobjects.keys()):
            xobject = xobjects[name]
            if xobject.get("/Subtype") == "/Image":
                first_copy = first_copies.setdefault(image_fingerprint(xobject), xobject)
                if first_copy.objgen != xobject.objgen:
                    xobjects[name] = first_copy
            elif xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"))

    for page in merged.pages:
        visit(page.obj.get("/Resources"))


def image_fingerprint(image):
    hashed = hashlib.sha256(image.read_raw_bytes())
    for key in sorted(image.keys()):
        if key != "/Length":
            hashed.update(f"{key}={image[key]!r}".encode())
    return hashed.hexdigest()


@dataclass
class BookmarkPage:
    """What weasyprint.anchors.make_page_bookmark_tree reads of a page."""

    bookmarks: list


def write_outline(merged, parts):
    """The outline built by WeasyPrint's own nesting rule over the bookmarks of every part, so
    that an annex's headings nest under the document's as in a single pass."""
    pages = [BookmarkPage([]) for _ in merged.pages]
    first_page = 0
    for part in parts:
        for level, label, page_index, x, y, state in part.bookmarks:
            pages[first_page + page_index].bookmarks.append((level, label, (x, y), state))
        first_page += part.page_count
    tree = []
    skipped_levels, last_by_depth, previous_level = [], [tree], 0
    for page_number, page in enumerate(pages):
        previous_level = make_page_bookmark_tree(
            page, skipped_levels, last_by_depth, previous_level, page_number, Matrix()
        )
    if "/Outlines" in merged.Root:
        del merged.Root.Outlines
    if tree:
        outlines = merged.make_indirect(pikepdf.Dictionary())
        items, count = outline_items(merged, tree, outlines)
        outlines.Count, outlines.First, outlines.Last = count, items[0], items[-1]
        merged.Root.Outlines = outlines


def outline_items(merged, subtrees, parent):
    """Outline items as WeasyPrint writes them (pdf/anchors.py add_outlines): a closed item's
    /Count is negative, an open one's counts its visible descendants."""
    items, count = [], len(subtrees)
    for title, (page_number, x, y), children, state in subtrees:
        destination = pikepdf.Array([merged.pages[page_number].obj, pikepdf.Name.XYZ, x, y, 0])
        item = merged.make_indirect(pikepdf.Dictionary(Title=pikepdf.String(title), Dest=destination, Parent=parent))
        child_items, child_count = outline_items(merged, children, item)
        item.Count = -child_count if state == "closed" else child_count
        if state != "closed":
            count += child_count
        if child_items:
            item.First, item.Last = child_items[0], child_items[-1]
        if items:
            item.Prev, items[-1].Next = items[-1], item
        items.append(item)
    return items, count
