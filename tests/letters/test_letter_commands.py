import pytest

from pro_service.letters import commands


@pytest.mark.parametrize("workers", ["1", "2"])
def test_batch_continues_past_a_failing_letter_and_reports_it(app, make_letter_pathway, tmp_path, monkeypatch, workers):
    _ok, good = make_letter_pathway()
    _no_gp, bad = make_letter_pathway(external_id="EPR-2", name="Uten Fastlege", gp=False)
    monkeypatch.setattr(commands, "SERIAL_BELOW", 2)  # so two workers really run with four letters

    result = app.test_cli_runner().invoke(
        args=["letters", "batch", "--due", "--out", str(tmp_path), "--workers", workers])

    assert result.exit_code == 1, result.output
    written = sorted(p.stem for p in tmp_path.glob("*.pdf"))
    assert written == sorted([good["clinical_decision"].id, good["evaluation"].id])
    assert "2 of 4 letters written" in result.stdout
    for event in (bad["clinical_decision"], bad["evaluation"]):
        assert f"milestone event {event.id}: LetterError: the patient has no GP registered" in result.stderr


def test_render_writes_one_letter(app, make_letter_pathway, tmp_path):
    _pathway, events = make_letter_pathway(language="en")
    out = tmp_path / "letter.pdf"

    result = app.test_cli_runner().invoke(
        args=["letters", "render", "--milestone-event", events["evaluation"].id, "--out", str(out)])

    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-")
