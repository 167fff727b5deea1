"""Every scale of an instrument that has bands is charted on the pathway page, not only the default (issue 13);
the evaluation still counts change on the default scale only."""
from __future__ import annotations

import re

from pro_service import definitions
from pro_service.clinic.trajectories import charted_scales

CHART_ID = re.compile(r'<svg[^>]*\baria-labelledby="([^"]+)-title"')


def _headings(html: str) -> list[str]:
    section = html[html.index('<h2 id="trajectories">'):html.index('<h2 id="timeline">')]
    return re.findall(r'<h3 id="trajectory-\d+-heading">([^<]*)</h3>', section)


def test_charted_scales_are_the_default_then_the_banded_ones_in_file_order(app):
    with app.app_context():
        catalog = definitions.catalog()
    assert [s.id for s in charted_scales(catalog["who5"])] == ["total", "percent"]
    assert [s.id for s in charted_scales(catalog["audit"])] == ["total"]  # AUDIT-C has no bands
    assert [s.id for s in charted_scales(catalog["asrs"])] == ["part_a"]  # the unbanded total is left out
    assert [s.id for s in charted_scales(catalog["phq9"])] == ["total"]
    # PCL-5 publishes no bands on any scale: its default total is charted as before, the clusters are not
    assert [s.id for s in charted_scales(catalog["pcl5"])] == ["total"]


def test_who5_pathway_charts_both_banded_scales_with_their_own_chart_and_table(client, make_pathway, login_as):
    pathway = make_pathway([("start", 0, {"phq9": 12, "who5": 10, "wsas": 20}),
                            ("clinical_decision", 30, {"phq9": 10, "who5": 14, "wsas": 15})],
                           package="dk_depression")
    login_as("clinician")

    html = client.get(f"/clinic/pathways/{pathway.id}").get_data(as_text=True)

    headings = _headings(html)
    who5 = [h for h in headings if h.startswith("WHO-5")]
    assert who5 == ["WHO-5 Well-Being Index – Well-being (raw score) – Patient (Pasient 1)",
                    "WHO-5 Well-Being Index – Well-being (percentage score) – Patient (Pasient 1)"]
    phq9 = [h for h in headings if "(PHQ-9)" in h]
    assert len(phq9) == 1 and " – Patient (Pasient 1)" in phq9[0] and "(raw score)" not in phq9[0]
    assert len(headings) == 4  # PHQ-9, WHO-5 raw and percent, WSAS
    ids = CHART_ID.findall(html[html.index('<h2 id="trajectories">'):html.index('<h2 id="timeline">')])
    assert len(ids) == len(headings) == len(set(ids))
    captions = re.findall(r'<caption id="trajectory-\d+-caption">([^<]*)</caption>', html)
    percent_title = "WHO-5 Well-Being Index – Well-being (percentage score) – Patient (Pasient 1)"
    assert f"{percent_title}: scores as a table" in captions
    # the percentage table holds the percentage scores (raw 10 and 14 → 40 and 56)
    percent = html.split(f"{percent_title}: scores as a table")[1].split("</table>")[0]
    assert re.search(r"<td>40</td>", percent) and re.search(r"<td>56</td>", percent)


def test_an_unbanded_second_scale_is_not_charted(client, make_pathway, login_as):
    pathway = make_pathway([("start", 0, {"audit": 12, "dudit": 3, "phq9": 8})], package="tsb")
    login_as("clinician")

    headings = _headings(client.get(f"/clinic/pathways/{pathway.id}").get_data(as_text=True))

    audit = [h for h in headings if "(AUDIT)" in h]
    assert len(audit) == 1 and audit[0].endswith(" – Patient (Pasient 1)")
    assert not any("AUDIT-C" in h or "consumption" in h.lower() for h in headings)


def test_evaluation_counts_change_on_the_default_scale_only(app, make_pathway):
    from datetime import UTC, datetime

    from pro_service.clinic.pathway_queries import evaluation, pathway_page

    pathway = make_pathway([("start", 0, {"phq9": 12, "who5": 10, "wsas": 20}),
                            ("clinical_decision", 30, {"phq9": 18, "who5": 6, "wsas": 22}),
                            ("evaluation", 90, {"phq9": 7, "who5": 18, "wsas": 10})],
                           package="dk_depression")
    with app.test_request_context():
        page = pathway_page(pathway=pathway, now=datetime.now(UTC), timezone="Europe/Oslo",
                            unit_ids={pathway.unit_id})
        assert {(t.instrument_id, t.scale_id) for t in page.trajectories} >= {("who5", "total"), ("who5", "percent")}
        found = evaluation(page=page, from_id=None, to_id=None)

    assert sorted((c.trajectory.instrument_id, c.trajectory.scale_id) for c in found.comparisons) == [
        ("phq9", "total"), ("who5", "total"), ("wsas", "total")]
