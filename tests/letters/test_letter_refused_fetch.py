"""A letter whose document asks the renderer for a URL fails alone: the batch goes on and names it."""
from __future__ import annotations

import pytest

from pro_service.letters import commands, operations
from pro_service.letters.render import RefusedDocument, render_pdf

TRACKER = '<img src="http://127.0.0.1:9/tracker.png" alt="">'


def test_render_pdf_raises_an_ordinary_exception_for_a_refused_url():
    with pytest.raises(RefusedDocument) as refused:
        render_pdf(f"<p>x</p>{TRACKER}")
    assert isinstance(refused.value, Exception)  # WeasyPrint's own refusal is a BaseException


@pytest.mark.parametrize("workers", ["1", "2"])
def test_batch_goes_on_past_a_letter_that_tries_to_fetch(app, make_letter_pathway, tmp_path, monkeypatch, workers):
    _ok, good = make_letter_pathway()
    _bad_pathway, bad = make_letter_pathway(external_id="EPR-2", name="Per Sporing")
    fetching = bad["evaluation"].id
    render_html = operations.render_html

    def with_a_tracker(context):
        html = render_html(context)
        tracked = context.patient.name == "Per Sporing" and context.milestone_id == "evaluation"
        return html.replace("</body>", f"{TRACKER}</body>") if tracked else html

    monkeypatch.setattr(operations, "render_html", with_a_tracker)
    monkeypatch.setattr(commands, "SERIAL_BELOW", 2)  # so two workers really run with four letters

    result = app.test_cli_runner().invoke(
        args=["letters", "batch", "--due", "--out", str(tmp_path), "--workers", workers])

    assert result.exit_code == 1, result.output
    written = sorted(p.stem for p in tmp_path.glob("*.pdf"))
    assert written == sorted([good["clinical_decision"].id, good["evaluation"].id, bad["clinical_decision"].id])
    assert "3 of 4 letters written" in result.stdout
    assert f"milestone event {fetching}: RefusedDocument: refused to fetch" in result.stderr
