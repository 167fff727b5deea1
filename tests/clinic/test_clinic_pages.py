"""The pathway page and what it changes, the evaluation view, the answers page and the alerts queue."""
import re
from datetime import UTC, datetime, timedelta

from flask_login import login_user
from sqlmodel import select

from clinic_helpers import TOTALS, alerts_of, csrf, responses_of
from pro_service import definitions
from pro_service.audit.models import AuditEvent
from pro_service.auth.access import get_pathway_or_404, patient_data_units
from pro_service.clinic.pathway_queries import evaluation, pathway_page
from pro_service.instruments.scoring import score
from pro_service.pathways.invitations import find_invitation
from pro_service.pathways.models import (
    Assessment,
    AssessmentStatus,
    Invitation,
    MilestoneEvent,
    OutboxMessage,
    Response,
    Score,
)

CODE = re.compile(r'<code class="short-code">([A-Z0-9]+)</code>')


def audited(session, action: str) -> list[AuditEvent]:
    session.expire_all()
    return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)))


def categories(app, user, pathway_id: str, **pair) -> dict[str, str | None]:
    with app.test_request_context():
        login_user(user)
        pathway = get_pathway_or_404(pathway_id)
        page = pathway_page(pathway=pathway, now=datetime.now(UTC), timezone="Europe/Oslo",
                            unit_ids=patient_data_units())
        found = evaluation(page=page, from_id=pair.get("from_id"), to_id=pair.get("to_id"))
        return {c.trajectory.instrument_id: c.change.category if c.change else None for c in found.comparisons}


def test_evaluation_categories_from_the_baseline_to_the_latest_evaluation(app, client, seeded, login_as):
    user = login_as("clinician")

    html = client.get(f"/clinic/pathways/{seeded.pathway.id}/evaluation").get_data(as_text=True)

    assert categories(app, user, seeded.pathway.id) == {
        "phq9": "recovered", "gad7": "improved", "core10": "deteriorated", "wsas": None}
    assert '<option value="%s" selected>' % seeded.events["clinical_decision"] in html
    assert "the package measures change from “Clinical decision”" in html
    phq9 = html[html.index("Patient Health Questionnaire (PHQ-9)</h2>"):]
    phq9 = phq9[:phq9.index("</section>")]
    assert '<th scope="row">Baseline</th>' in phq9
    assert "18 (Moderately severe), Clinical decision" in phq9 and "7 (Mild), Evaluation" in phq9
    # the start's score is history: in the card's chart (the whole trajectory), never in the comparison
    assert "Pathway start" not in phq9[phq9.index("<table"):]
    assert "<td>−11</td>" in phq9 and 'category--recovered">Recovered<' in phq9
    assert "reliable change ≥ 6 points (manual&#39;s threshold); clinical cut-off ≥ 10" in phq9


def test_evaluation_between_a_chosen_pair_of_milestones(app, client, seeded, login_as):
    user = login_as("clinician")
    pair = {"from_id": seeded.events["start"], "to_id": seeded.events["evaluation"]}

    response = client.get(f"/clinic/pathways/{seeded.pathway.id}/evaluation"
                          f"?from={pair['from_id']}&to={pair['to_id']}")

    assert response.status_code == 200
    assert categories(app, user, seeded.pathway.id, **pair)["phq9"] == "unchanged"  # 12 → 7 is under 6 points
    assert client.get(f"/clinic/pathways/{seeded.pathway.id}/evaluation?from=nope").status_code == 404


def test_evaluation_up_to_the_clinical_decision_has_only_the_baseline(app, client, seeded, login_as):
    user = login_as("clinician")

    html = client.get(f"/clinic/pathways/{seeded.pathway.id}/evaluation"
                      f"?to={seeded.events['clinical_decision']}").get_data(as_text=True)

    assert set(categories(app, user, seeded.pathway.id, to_id=seeded.events["clinical_decision"]).values()) == {None}
    assert html.count("Only the baseline so far") == 8  # four instruments: in the card and in its details


def test_evaluation_before_the_baseline_is_registered_shows_no_change(app, client, session, seed, login_as):
    seeded = seed(registered=("evaluation",))
    user = login_as("clinician")

    html = client.get(f"/clinic/pathways/{seeded.pathway.id}/evaluation").get_data(as_text=True)

    assert set(categories(app, user, seeded.pathway.id).values()) == {None}  # not start 12 → evaluation 7
    assert "“Clinical decision”, which has not been registered yet, so no change is shown" in html
    assert '<option value="" selected>Baseline not registered yet</option>' in html
    assert html.count("No baseline yet") == 8  # four instruments: in the card and in its details


def test_evaluation_shows_self_and_parent_side_by_side(client, session, make_patient, login_as):
    from pro_service.demo import answer_invitation
    from pro_service.pathways.operations import add_respondent, start_pathway
    from datetime import date

    patient = make_patient(external_id="EPR-C", name="Emma Berg", birth_date=date(2013, 2, 20))
    add_respondent(patient=patient, role="parent", name="Lise Berg")
    pathway, registration = start_pathway(patient=patient, package=definitions.packages()["mh_children"], by="dr",
                                          base_url="https://x", started_at=datetime.now(UTC) - timedelta(days=3))
    for item in registration.invitations:
        answer_invitation(item.invitation, {"smfq": 14, "smfq_parent": 18}, now=datetime.now(UTC) - timedelta(days=2))
    session.commit()
    login_as("clinician")

    html = client.get(f"/clinic/pathways/{pathway.id}/evaluation").get_data(as_text=True)

    assert '<th scope="col">Patient (Emma Berg)</th>' in html
    assert '<th scope="col">Parent or guardian (Lise Berg)</th>' in html


def test_pathway_page_has_timeline_charts_with_tables_and_answer_links(client, session, seeded, login_as):
    login_as("clinician")

    html = client.get(f"/clinic/pathways/{seeded.pathway.id}").get_data(as_text=True)

    assert "<h2 id=\"timeline\">Milestones and time limits</h2>" in html
    assert html.count('class="chart chart--trajectory"') == 4  # PHQ-9, GAD-7, CORE-10, WSAS for the patient
    assert html.count("scores as a table</caption>") == 4
    links = set(re.findall(r'href="/clinic/responses/([0-9a-f]{32})"', html))
    assert links == {r.id for r in responses_of(session, seeded.pathway.id)}
    assert "EPR-1" not in html.split("<main", 1)[0]


def test_a_missing_answer_is_a_gap_in_the_chart_and_said_in_the_table(client, session, seed, login_as):
    seeded = seed(answered={k: v for k, v in TOTALS.items() if k != "clinical_decision"})
    cd = seeded.events["clinical_decision"]
    for assessment in session.exec(select(Assessment).where(Assessment.milestone_event_id == cd)):
        assessment.expires_at = datetime.now(UTC) - timedelta(days=60)
    session.commit()
    login_as("clinician")

    html = client.get(f"/clinic/pathways/{seeded.pathway.id}").get_data(as_text=True)

    assert html.count('class="chart-missing"') == 4
    assert html.count("<td><em>missing</em></td>") == 4


def test_response_page_shows_items_and_chosen_options_in_the_clinicians_language(client, session, seeded, login_as):
    login_as("clinician", language="en")
    evaluation_responses = responses_of(session, seeded.pathway.id, "evaluation")
    phq9 = next(r for r in evaluation_responses
                if session.get(Assessment, r.assessment_id).instrument_id == "phq9")

    html = client.get(f"/clinic/responses/{phq9.id}").get_data(as_text=True)

    item9 = definitions.catalog()["phq9"].item(9).text["en"]
    assert item9 in html and "(critical item)" in html
    assert "<td>Several days (1)</td>" in html  # item 9 answered with 1 point
    assert "Paper answers entered" not in html


def test_acknowledging_an_alert_takes_it_out_of_the_queue(client, session, seeded, login_as):
    user = login_as("clinician")
    first, second = alerts_of(session, seeded.pathway.id)
    queue = client.get("/clinic/alerts").get_data(as_text=True)
    assert queue.index(f"alert-{first.id}") < queue.index(f"alert-{second.id}") or first.created_at == second.created_at
    assert definitions.catalog()["phq9"].item(9).text["en"] in queue and "Several days (1)" in queue

    refused = client.post(f"/clinic/alerts/{first.id}/acknowledge", data={"csrf_token": csrf(client), "note": " "})
    done = client.post(f"/clinic/alerts/{first.id}/acknowledge",
                       data={"csrf_token": csrf(client), "note": "Called the patient; safety plan made."})

    assert refused.status_code == 400 and done.status_code == 302
    # The app's own, translated message beside that alert's note (the browser's `required` is not relied on)
    refused_html = refused.get_data(as_text=True)
    assert f'<p class="error" id="note-{first.id}-error">Write a short note on what was done.</p>' in refused_html
    assert 'aria-invalid="true"' in refused_html
    [first, second] = alerts_of(session, seeded.pathway.id)
    assert (first.acknowledged_by, first.note) == (user.email, "Called the patient; safety plan made.")
    assert first.acknowledged_at is not None and second.acknowledged_at is None
    queue = client.get("/clinic/alerts").get_data(as_text=True)
    assert f"alert-{first.id}" not in queue and f"alert-{second.id}" in queue
    [row] = audited(session, "alert.acknowledged")
    assert (row.actor_id, row.detail) == (user.id, first.id)


def test_registering_a_milestone_schedules_invites_and_shows_the_code_once(client, session, seeded, login_as):
    login_as("clinician")
    today = datetime.now(UTC).date().isoformat()

    response = client.post(f"/clinic/pathways/{seeded.pathway.id}/milestones",
                           data={"csrf_token": csrf(client), "milestone": "evaluation", "occurred_on": today})

    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Milestone registered: Evaluation" in html
    [code] = CODE.findall(html)
    session.expire_all()
    events = session.exec(select(MilestoneEvent).where(MilestoneEvent.pathway_id == seeded.pathway.id,
                                                       MilestoneEvent.milestone_id == "evaluation")).all()
    assert len(events) == 2
    invitation = find_invitation(code=code)
    assert invitation is not None and invitation.milestone_event_id in {e.id for e in events}
    # PHQ-9, GAD-7, CORE-10, WSAS and the readiness questions
    assert len(session.exec(select(Assessment).where(Assessment.milestone_event_id == invitation.milestone_event_id)).all()) == 5
    [row] = audited(session, "milestone.registered")
    assert row.detail == "evaluation"
    assert code not in client.get(f"/clinic/pathways/{seeded.pathway.id}").get_data(as_text=True)


def test_a_milestone_in_the_future_is_refused(client, session, seeded, login_as):
    login_as("clinician")
    tomorrow = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()

    response = client.post(f"/clinic/pathways/{seeded.pathway.id}/milestones",
                           data={"csrf_token": csrf(client), "milestone": "end", "occurred_on": tomorrow})

    assert "A milestone cannot be registered in the future." in response.get_data(as_text=True)
    assert audited(session, "milestone.registered") == []


def open_assessment(client, session, seeded) -> Assessment:
    """Register a new evaluation from the page and return its PHQ-9 assessment."""
    client.post(f"/clinic/pathways/{seeded.pathway.id}/milestones",
                data={"csrf_token": csrf(client), "milestone": "evaluation",
                      "occurred_on": datetime.now(UTC).date().isoformat()})
    session.expire_all()
    return session.exec(select(Assessment).where(Assessment.pathway_id == seeded.pathway.id,
                                                 Assessment.instrument_id == "phq9",
                                                 Assessment.status == AssessmentStatus.SCHEDULED)).one()


def test_a_paper_answer_is_scored_and_marked_clinician_entered(client, session, seeded, login_as):
    user = login_as("clinician")
    assessment = open_assessment(client, session, seeded)
    url = f"/clinic/assessments/{assessment.id}/paper"
    form = client.get(url).get_data(as_text=True)
    assert "Little interest or pleasure in doing things" in form
    answers = {1: 2, 2: 2, 3: 1, 4: 1, 5: 0, 6: 0, 7: 1, 8: 0, 9: 0}

    response = client.post(url, data={"csrf_token": csrf(client), "language": "nb",
                                      **{f"item_{n}": str(v) for n, v in answers.items()}})

    assert response.status_code == 302
    session.expire_all()
    stored = session.exec(select(Response).where(Response.assessment_id == assessment.id)).one()
    assert stored.entered_by == user.email and stored.submitted_at is not None and stored.language == "nb"
    [total] = session.exec(select(Score).where(Score.response_id == stored.id, Score.scale_id == "total")).all()
    assert total.value == float(score(definitions.catalog()["phq9"], answers).scales["total"].score) == 7
    assert session.get(Assessment, assessment.id).status == AssessmentStatus.COMPLETED
    assert "Paper answers entered by" in client.get(f"/clinic/responses/{stored.id}").get_data(as_text=True)
    assert len(audited(session, "response.entered")) == 1


def test_a_paper_answer_with_too_many_gaps_is_refused(client, session, seeded, login_as):
    login_as("clinician")
    assessment = open_assessment(client, session, seeded)

    response = client.post(f"/clinic/assessments/{assessment.id}/paper",
                           data={"csrf_token": csrf(client), "language": "nb", "item_1": "1"})

    assert response.status_code == 200 and "Too many answers are missing" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Assessment, assessment.id).status == AssessmentStatus.SCHEDULED


def test_cancelling_an_assessment(client, session, seeded, login_as):
    user = login_as("clinician")
    assessment = open_assessment(client, session, seeded)

    response = client.post(f"/clinic/assessments/{assessment.id}/cancel", data={"csrf_token": csrf(client)})

    assert response.status_code == 302
    session.expire_all()
    cancelled = session.get(Assessment, assessment.id)
    assert (cancelled.status, cancelled.cancelled_by) == (AssessmentStatus.CANCELLED, user.email)
    assert [row.detail for row in audited(session, "assessment.cancelled")] == [assessment.id]
    completed = session.exec(select(Assessment).where(Assessment.status == AssessmentStatus.COMPLETED)).first()
    client.post(f"/clinic/assessments/{completed.id}/cancel", data={"csrf_token": csrf(client)})
    session.expire_all()
    assert session.get(Assessment, completed.id).status == AssessmentStatus.COMPLETED


def test_resend_queues_a_new_link_and_the_letter_prints_a_code(client, session, seeded, login_as):
    login_as("clinician")
    open_assessment(client, session, seeded)
    invitation = session.exec(select(Invitation).where(Invitation.used_at.is_(None))).one()
    before = len(session.exec(select(OutboxMessage)).all())

    resent = client.post(f"/clinic/invitations/{invitation.id}/resend", data={"csrf_token": csrf(client)})
    [code] = CODE.findall(resent.get_data(as_text=True))
    assert find_invitation(code=code).id == invitation.id
    letter = client.post(f"/clinic/invitations/{invitation.id}/letter", data={"csrf_token": csrf(client)})

    session.expire_all()
    assert find_invitation(code=code) is None  # the printed letter's code replaces the one sent before
    session.expire_all()
    assert len(session.exec(select(OutboxMessage)).all()) == before + 1
    page = letter.get_data(as_text=True)
    printed = re.search(r'<p class="letter-code"><code>([A-Z0-9]+)</code>', page).group(1)
    assert find_invitation(code=printed).id == invitation.id and printed != code
    assert '<html lang="nb"' in page  # the respondent's language, not the clinician's
    assert len(audited(session, "invitation.resent")) == 1 and len(audited(session, "invitation.printed")) == 1


def test_adding_a_respondent(client, session, seeded, login_as):
    login_as("clinician")

    response = client.post(f"/clinic/pathways/{seeded.pathway.id}/respondents",
                           data={"csrf_token": csrf(client), "role": "parent", "name": "Per Nordmann",
                                 "language": "nn", "email": "per@example.no", "phone": ""})

    assert response.status_code == 302
    assert "Per Nordmann (Parent or guardian)" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert len(audited(session, "patient.respondent_added")) == 1
