"""The evaluation view's score charts stop at the compared milestone, as its comparison and goal charts do;
the pathway page keeps the whole course."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from sqlmodel import select

from pro_service.pathways.models import Assessment, AssessmentStatus
from pro_service.pathways.operations import cancel_assessment

SVG = "{http://www.w3.org/2000/svg}"
COURSE = [("start", 0, {"phq9": 17, "gad7": 15, "core10": 22, "wsas": 24}),
          ("clinical_decision", 30, {"phq9": 17, "gad7": 14, "core10": 21, "wsas": 22}),
          ("evaluation", 90, {"phq9": 10, "gad7": 9, "core10": 14, "wsas": 14}),
          ("end", 130, {"phq9": 6, "gad7": 5, "core10": 8, "wsas": 9})]


def _charts(html: str) -> list[ET.Element]:
    return [ET.fromstring(svg) for svg in re.findall(r"<svg.*?</svg>", html, flags=re.S)]


def _milestones(chart: ET.Element) -> list[str]:
    return [t.text for t in chart.iter(f"{SVG}text") if t.get("class") == "chart-milestone-label"]


def _scores(chart: ET.Element) -> list[str]:
    return [t.text for t in chart.iter(f"{SVG}text") if t.get("class") == "chart-value"]


def _events(html: str) -> dict[str, str]:
    """Milestone name -> event id, from the view's "To" choices."""
    select = html[html.index('<select id="to"'):]
    return {label.split(" – ")[0]: id_ for id_, label in re.findall(r'<option value="([0-9a-f]{32})"[^>]*>([^<]+)<',
                                                                   select[:select.index("</select>")])}


def test_evaluation_charts_have_no_point_after_the_evaluation_they_compare_to(client, make_pathway, login_as):
    pathway = make_pathway(COURSE)
    login_as("clinician")

    charts = _charts(client.get(f"/clinic/pathways/{pathway.id}/evaluation").get_data(as_text=True))
    whole = _charts(client.get(f"/clinic/pathways/{pathway.id}").get_data(as_text=True))

    phq9 = charts[0]
    assert len(charts) == 4  # PHQ-9, GAD-7, CORE-10 and WSAS; no goals in this pathway
    assert [_milestones(chart) for chart in charts] == [["Pathway start", "Clinical decision", "Evaluation"]] * 4
    assert _scores(phq9) == ["17", "17", "10"] and len(list(phq9.iter(f"{SVG}circle"))) == 3
    # the text alternative says the same: three points, the last one the evaluation's
    assert [entry.split(" (")[1] for entry in phq9.find(f"{SVG}desc").text.split("; ")] == [
        "Pathway start): 17", "Clinical decision): 17", "Evaluation): 10"]
    assert [_scores(chart) for chart in whole][0] == ["17", "17", "10", "6"]  # the pathway page: the whole course


def test_evaluation_charts_stop_at_a_chosen_earlier_milestone(client, make_pathway, login_as):
    pathway = make_pathway(COURSE)
    login_as("clinician")
    events = _events(client.get(f"/clinic/pathways/{pathway.id}/evaluation").get_data(as_text=True))

    html = client.get(f"/clinic/pathways/{pathway.id}/evaluation?to={events['Clinical decision']}").get_data(
        as_text=True)

    assert [_scores(chart) for chart in _charts(html)] == [["17", "17"], ["15", "14"], ["22", "21"], ["24", "22"]]


def test_an_instrument_without_a_point_up_to_the_compared_milestone_has_no_chart(client, session, make_pathway,
                                                                                 login_as):
    pathway = make_pathway([("start", 0, None)] + COURSE[1:3])
    for assessment in session.exec(select(Assessment).where(Assessment.pathway_id == pathway.id,
                                                            Assessment.status != AssessmentStatus.COMPLETED)):
        cancel_assessment(assessment=assessment, by="test")  # the start's: no point, not even a missing one
    session.commit()
    login_as("clinician")
    events = _events(client.get(f"/clinic/pathways/{pathway.id}/evaluation").get_data(as_text=True))

    start = events["Pathway start"]
    html = client.get(f"/clinic/pathways/{pathway.id}/evaluation?from={start}&to={start}").get_data(as_text=True)

    assert html.count('class="eval-card"') == 4 and html.count("No baseline yet") == 8
    assert _charts(html) == [] and "None" not in html


def _band_centre_and_points(chart: ET.Element) -> tuple[float, list[float]]:
    band = next(r for r in chart.iter(f"{SVG}rect") if r.get("class") == "chart-reliable")
    return (float(band.get("y")) + float(band.get("height")) / 2,
            [float(c.get("cy")) for c in chart.iter(f"{SVG}circle")])


def test_the_no_reliable_change_band_surrounds_the_score_the_view_compares_from(client, make_pathway, login_as):
    course = [("start", 0, {"phq9": 11, "gad7": 9, "core10": 14, "wsas": 15})] + COURSE[1:3]
    pathway = make_pathway(course)
    login_as("clinician")
    events = _events(client.get(f"/clinic/pathways/{pathway.id}/evaluation").get_data(as_text=True))

    by_default = _charts(client.get(f"/clinic/pathways/{pathway.id}/evaluation").get_data(as_text=True))[0]
    from_start = _charts(client.get(f"/clinic/pathways/{pathway.id}/evaluation?from={events['Pathway start']}")
                         .get_data(as_text=True))[0]

    centre, (start, decision, _evaluation) = _band_centre_and_points(by_default)
    assert abs(centre - decision) < 0.2  # the package's baseline: the clinical decision (17)
    centre, (start, decision, _evaluation) = _band_centre_and_points(from_start)
    assert abs(centre - start) < 0.2 and abs(centre - decision) > 5  # compared from the start (11)
