"""The pathway page opens with a summary (issue 13): alerts, latest scores with bands and change, the next due
milestone; then the charts; forms open on demand."""
from __future__ import annotations


def test_pathway_page_starts_with_the_summary_then_the_charts(client, seeded, login_as):
    login_as("clinician")

    html = client.get(f"/clinic/pathways/{seeded.pathway.id}").get_data(as_text=True)

    summary = html.split('id="summary-title"')[1].split("</section>")[0]
    assert html.index('id="alerts-title"') < html.index('id="summary-title"') < html.index('id="trajectories"')
    assert html.index('id="trajectories"') < html.index('id="timeline"') < html.index('id="respondents"')
    assert "2 open alerts" in summary
    # PHQ-9 18 at the clinical decision (the baseline) → 7 at the evaluation
    assert "18 → 7 (<span aria-hidden=\"true\">↓</span>−11)" in summary
    assert '<span class="category category--recovered">Recovered</span>' in summary
    assert '<details class="panel">\n    <summary id="register-title">Register a milestone</summary>' in html
    assert '<summary id="respondent-title">Add a respondent</summary>' in html
