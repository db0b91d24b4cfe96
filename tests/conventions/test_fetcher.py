"""WeasyPrint reads only the project's own static files (DESIGN §5, "WeasyPrint is sandboxed")."""

import pytest

from conventions.rendering.pdf import BASE_URL, StaticFilesOnlyFetcher, layout

STATIC = BASE_URL + "static/"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1/admin/",
        "http://169.254.169.254/latest/meta-data/",
        "https://www.example.org/style.css",
        "data:text/css,body{}",
        STATIC + "../../../etc/passwd",
        STATIC + "%2e%2e/%2e%2e/etc/passwd",
        STATIC + "css/print.css?x=1",
        BASE_URL + "media/deliberations/secret.pdf",
        "https://user@static.ctg.invalid/static/css/print.css",
    ],
)
def test_the_fetcher_refuses_anything_but_static_files(url):
    fetcher = StaticFilesOnlyFetcher()
    with pytest.raises(ValueError):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_the_fetcher_serves_the_print_stylesheet_and_the_fonts():
    fetcher = StaticFilesOnlyFetcher()
    css = fetcher.fetch(STATIC + "css/print.css")
    assert b"@page" in css.read()
    font = fetcher.fetch(STATIC + "fonts/source-sans-3-latin-400-normal.woff2")
    assert font.headers["Content-Type"] == "font/woff2"


def test_a_document_pointing_at_local_files_and_the_network_renders_without_them():
    hostile = """<html><head>
      <link rel="stylesheet" href="http://127.0.0.1:8000/evil.css">
      <style>@import url("file:///etc/passwd"); body { background: url(http://169.254.169.254/x.png) }</style>
    </head><body>
      <p>Texte</p>
      <img src="file:///etc/passwd">
      <img src="http://127.0.0.1/pixel.png">
      <a rel="attachment" href="file:///etc/passwd">pièce jointe</a>
      <object data="file:///etc/passwd"></object>
    </body></html>"""
    fetcher = StaticFilesOnlyFetcher()
    document = layout(hostile, fetcher=fetcher)
    pdf = document.write_pdf()
    assert b"root:x:0:0" not in pdf
    assert {"file:///etc/passwd", "http://127.0.0.1/pixel.png", "http://127.0.0.1:8000/evil.css"} <= set(
        fetcher.refused
    )
