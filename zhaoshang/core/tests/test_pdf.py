"""The documents' font (core/pdf.py): a TrueType font named by the settings, embedded in every PDF, checked at start."""

import io
from pathlib import Path

import pytest
import reportlab
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from django.utils.translation import gettext_lazy
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate

from zhaoshang.core import pdf
from zhaoshang.core.testing import pdf_fonts


def build(story) -> bytes:
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build(story, canvasmaker=pdf.NumberedCanvas)
    return buffer.getvalue()


def test_a_lazily_translated_label_in_a_grid_is_printed_as_text_in_the_embedded_font():
    """Labels taken from models (verbose names) are lazy translations, not str: they too are set as text."""
    styles = pdf.styles()
    with translation.override("zh-hans"):
        data = build([pdf.grid([[gettext_lazy("Contact"), 42, "Jiangmen 江门"]], [60, 60, 200], styles)])

    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "联系方式" in text and "42" in text and "Jiangmen 江门" in text
    fonts = pdf_fonts(data)
    assert fonts and all(fonts.values()), fonts


def test_the_configured_font_passes_the_check(settings):
    assert pdf.check_font() == []


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "is missing"),
        (b"OTTO" + b"\0" * 100, "CFF (PostScript) outlines"),
        (b"wOF2" + b"\0" * 100, "is not a TrueType font"),
    ],
)
def test_a_missing_or_unusable_font_is_a_warning_of_the_check_and_an_error_when_a_pdf_is_made(
    settings, tmp_path, content, problem
):
    path = tmp_path / "font.ttf"
    if content is not None:
        path.write_bytes(content)
    settings.ZHAOSHANG_PDF_FONT = path

    [warning] = pdf.check_font()
    assert warning.id == "core.W002" and problem in warning.msg and str(path) in warning.msg
    with pytest.raises(ImproperlyConfigured, match="ZHAOSHANG_PDF_FONT"):
        pdf.styles()


def test_a_truetype_font_without_chinese_glyphs_is_refused_when_a_pdf_is_made(settings):
    settings.ZHAOSHANG_PDF_FONT = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"  # Latin only

    with pytest.raises(ImproperlyConfigured, match="lacks Chinese glyphs"):
        pdf.styles()
