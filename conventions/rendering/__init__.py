"""Rendering of a convention: one HTML document for the browser preview and, through WeasyPrint,
the PDF."""
