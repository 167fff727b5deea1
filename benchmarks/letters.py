"""GP letters: one letter beside WeasyPrint rendering a minimal one-line page, and a 1,000-letter batch.

The bar (DESIGN.md §5): one letter in ≤ 2× the minimal page's time; 1,000
letters in a batch without a failure. The batch runs in one process and with
one process per core, to show what the workers gain. Memory: the peak of
Python allocations while rendering one letter (tracemalloc) and the peak
resident size of the benchmark process and of its largest worker (getrusage).
"""
from __future__ import annotations

import io
import os
import resource
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pypdf
from weasyprint import HTML

from benchmarks._timing import best_of

LETTERS = 1_000
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
SCORES = {"phq9": (19, 16, 8), "gad7": (15, 14, 11), "core10": (24, 20, 12), "wsas": (28, 22, 15)}


def seed(pathways: int) -> None:
    """`pathways` mh_adults pathways, each with a GP and four instruments answered at three milestones."""
    from sqlmodel import select

    from pro_service import db, definitions
    from pro_service.letters.operations import set_general_practitioner
    from pro_service.pathways.models import Assessment, Response, Score
    from pro_service.pathways.operations import create_unit, register_milestone, register_patient, start_pathway

    session = db.session()
    catalog, package = definitions.catalog(), definitions.packages()["mh_adults"]
    unit = create_unit(code="DPS-BENCH", name="DPS Benk, allmennpsykiatrisk poliklinikk", phone="22 00 00 00",
                       email="post@dps.example")
    milestones = (("start", START), ("clinical_decision", START + timedelta(days=35)),
                  ("evaluation", START + timedelta(days=120)))
    for number in range(pathways):
        patient, _ = register_patient(unit=unit, external_id=f"B{number}", name=f"Pasient Nummer {number}",
                                      birth_date=date(1980, 2, 1))
        pathway, _ = start_pathway(patient=patient, package=package, started_at=START, by="bench",
                                   base_url="http://localhost", responsible_clinician="Dr. Åse Bakke")
        for index, (milestone_id, at) in enumerate(milestones):
            event = register_milestone(pathway=pathway, package=package, milestone_id=milestone_id, occurred_at=at,
                                       by="bench", base_url="http://localhost").event
            for assessment in session.exec(select(Assessment).where(Assessment.milestone_event_id == event.id)):
                instrument = catalog[assessment.instrument_id]
                if instrument.id not in SCORES:  # e.g. the readiness question (issue 17): left unanswered
                    continue
                response = Response(assessment_id=assessment.id, language="nb", answers={},
                                    instrument_version=instrument.version, submitted_at=at - timedelta(days=1))
                session.add(response)
                session.flush()
                value = SCORES[instrument.id][index]
                session.add(Score(response_id=response.id, scale_id=instrument.default_scale.id, value=value))
        set_general_practitioner(patient=patient, name="Dr. Per Hansen", practice="Storgata legekontor",
                                 language=("nb", "nn", "da", "en")[number % 4], address="Storgata 1, 0155 Oslo")
        if number % 50 == 49:
            session.commit()
    session.commit()


def batch(event_ids: list[str], workers: int) -> tuple[float, int]:
    from pro_service.letters.commands import render_batch

    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        failures = sum(1 for _id, error in render_batch(event_ids, Path(out), workers=workers) if error)
        return time.perf_counter() - started, failures


def main() -> None:
    from pro_service import create_app, db
    from pro_service.letters.operations import letters_due, preview_letter
    from pro_service.letters.render import render_pdf
    from pro_service.types import utcnow

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        db.upgrade_database(url)
        app = create_app({"database_url": url, "instance_dir": Path(tmp)})
        with app.app_context():
            seed(LETTERS // 2)  # a clinical decision and an evaluation letter per pathway
            event_ids = [event.id for event in letters_due(utcnow())]
            assert len(event_ids) == LETTERS, len(event_ids)
            evaluation = event_ids[-1]
            preview_letter(milestone_event_id=evaluation)  # warm: fonts, templates, catalogues

            minimal = best_of(lambda: HTML(string="<p>Hello, GP.</p>").write_pdf(), repeat=20)
            minimal_a = best_of(lambda: render_pdf("<p>Hello, GP.</p>"), repeat=20)
            letter = best_of(lambda: preview_letter(milestone_event_id=evaluation), repeat=20)
            pages = len(pypdf.PdfReader(io.BytesIO(preview_letter(milestone_event_id=evaluation).pdf)).pages)
            tracemalloc.start()
            preview_letter(milestone_event_id=evaluation)
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            print(f"one letter (4 instruments, charts, PDF/A-3b) {letter * 1000:7.1f} ms   "
                  f"baseline: WeasyPrint minimal page {minimal * 1000:5.1f} ms (as PDF/A-3b: {minimal_a * 1000:5.1f} ms)   "
                  f"ratio {letter / minimal:4.1f}× (bar ≤ 2×)")
            print(f"peak Python allocations while rendering one letter: {peak / 2**20:.1f} MiB")

            cores = os.cpu_count() or 1
            serial, serial_failed = batch(event_ids, 1)
            print(f"batch of {LETTERS}, 1 process:   {serial:6.1f} s  {LETTERS / serial:5.1f} letters/s  "
                  f"failures {serial_failed}")
            if cores > 1:
                parallel, parallel_failed = batch(event_ids, cores)
                print(f"batch of {LETTERS}, {cores} processes: {parallel:6.1f} s  {LETTERS / parallel:5.1f} letters/s  "
                      f"failures {parallel_failed}   speed-up {serial / parallel:.2f}×")
            own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            print(f"peak resident size: benchmark process {own:.0f} MiB, largest worker {children:.0f} MiB")
            print(f"(pages per letter: {pages})")


if __name__ == "__main__":
    main()
