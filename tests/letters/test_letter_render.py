import io
import re

import pypdf
import pytest

from pro_service.config import PROJECT_ROOT
from pro_service.letters.operations import preview_letter
from pro_service.letters.render import AssetsOnlyFetcher, RefusedDocument, RefusedURL, render_pdf


def pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


EXPECTED = {
    "nb": ("Evaluering", "Moderat alvorlig", "Restituert", "Ingen pålitelig endring", "Side 1 av"),
    "nn": ("Evaluering", "Moderat alvorleg", "Restituert", "Inga påliteleg endring", "Side 1 av"),
    "da": ("Evaluering", "Moderat svær", "Restitueret", "Ingen pålidelig ændring", "Side 1 af"),
    "en": ("Evaluation", "Moderately severe", "Recovered", "No reliable change", "Page 1 of"),
}


@pytest.mark.parametrize("language", ["nb", "nn", "da", "en"])
def test_letter_pdf_says_names_scores_and_categories_in_the_gps_language(app, make_letter_pathway, language):
    _pathway, events = make_letter_pathway(language=language, name="Ánde Sárá Ŋaŋ")

    with app.test_request_context(headers={"Accept-Language": "ar"}):  # the clinician's locale must not leak
        text = pdf_text(preview_letter(milestone_event_id=events["evaluation"].id, note="Ring meg.").pdf)

    flat = re.sub(r"\s+", " ", text)
    for expected in ("Ánde Sárá Ŋaŋ", "Dr. Per Hansen", "Storgata legekontor", "BUP Oslo", "Dr. Åse Bakke",
                     "PHQ-9", "GAD-7", "19", "8", "15", "13", "Ring meg.", *EXPECTED[language]):
        assert expected in flat, (language, expected)


def test_letter_pdf_is_identified_as_pdf_a_in_its_xmp_metadata(make_letter_pathway):
    _pathway, events = make_letter_pathway()

    pdf = preview_letter(milestone_event_id=events["evaluation"].id).pdf
    reader = pypdf.PdfReader(io.BytesIO(pdf))

    xmp = reader.xmp_metadata.stream.get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    fonts = [font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()]
    assert fonts and all("DejaVu" in font["/BaseFont"] for font in fonts)
    for font in fonts:  # embedded, as PDF/A requires
        descriptor = (font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"])
        assert any(key.startswith("/FontFile") for key in descriptor.get_object())


def test_fetcher_refuses_an_external_url():
    with pytest.raises(RefusedURL, match="only the project's own assets"):
        AssetsOnlyFetcher().fetch("https://example.org/logo.png")
    with pytest.raises(RefusedDocument):
        render_pdf('<img src="http://127.0.0.1:9/tracker.png">')


def test_fetcher_refuses_a_file_outside_the_assets():
    secret = PROJECT_ROOT / "pyproject.toml"
    with pytest.raises(RefusedURL, match="not a file in the project's assets"):
        AssetsOnlyFetcher().fetch(secret.as_uri())
    escape = (PROJECT_ROOT / "templates" / "letters").as_uri() + "/../../pyproject.toml"
    with pytest.raises(RefusedURL):
        AssetsOnlyFetcher().fetch(escape)
    with pytest.raises(RefusedDocument):
        render_pdf('<link rel="stylesheet" href="file:///etc/passwd">')


def test_fetcher_serves_the_letter_stylesheet():
    response = AssetsOnlyFetcher().fetch((PROJECT_ROOT / "templates" / "letters" / "gp_letter.css").as_uri())
    assert b"@page" in response.read()


def test_letter_text_is_set_by_the_letter_stylesheet(make_letter_pathway):
    """gp_letter.css reaches the PDF through render_pdf's cached stylesheets, not a <link> in the HTML."""
    from collections import Counter

    _pathway, events = make_letter_pathway()
    page = pypdf.PdfReader(io.BytesIO(preview_letter(milestone_event_id=events["evaluation"].id).pdf)).pages[0]
    sizes = Counter()
    page.extract_text(visitor_text=lambda text, _cm, _tm, _font, size: sizes.update(
        {round(size * 72 / 96, 1): len(text.strip())}))

    assert sizes.most_common(1)[0][0] == 9.5  # points: the stylesheet's body text, not the browser's 12 pt


def test_render_pdf_applies_only_stylesheets_inside_the_assets():
    with pytest.raises(RefusedDocument, match="not a file in the project's assets"):
        render_pdf("<p>x</p>", stylesheets=("../../pyproject.toml",))
    with pytest.raises(RefusedDocument):
        render_pdf("<p>x</p>", stylesheets=("missing.css",))


@pytest.mark.parametrize("language", ["nb", "nn", "da", "en"])
@pytest.mark.parametrize("milestone", ["clinical_decision", "evaluation"])
def test_a_letter_with_every_adult_instrument_and_a_note_fits_on_two_pages(make_letter_pathway, language, milestone):
    scores = {"phq9": (19, 16, 8), "gad7": (15, 14, 11), "core10": (24, 20, 12), "wsas": (28, 22, 15)}
    _pathway, events = make_letter_pathway(language=language, scores=scores)

    pdf = preview_letter(milestone_event_id=events[milestone].id,
                         note="Pasienten har byrja i gruppebehandling og møter jamt. " * 4).pdf

    text = pdf_text(pdf)
    assert all(name in text for name in ("PHQ-9", "GAD-7", "CORE-10", "WSAS"))
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) <= 2
