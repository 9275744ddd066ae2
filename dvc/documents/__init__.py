"""Shared document toolkit: the PDF page, fonts and letterhead every generated document is built on."""
