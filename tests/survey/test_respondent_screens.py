"""What a respondent sees (issue 13): review with answers, numbers isolated in RTL, thank-you summaries, /code."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime

from markupsafe import Markup

from pro_service import definitions
from pro_service.survey import bidi
from pro_service.survey.plan import Phrase
from pro_service.survey.queries import ScoreHistory, ScorePoint
from pro_service.survey.thanks import history
from survey_helpers import all_answered, csrf

CHOICE = re.compile(r'<input type="radio" id="language-(\d+)" name="language" value="([^"]+)"( checked)?>')


def test_review_shows_each_question_with_its_answer_and_links_the_missing_ones(invite, browser):
    issued = invite(language="en")
    browser.get(f"/i/{issued.token}")
    answers = all_answered(1)
    del answers[1][2], answers[1][3], answers[1][4]  # PHQ-9: three missing, one more than prorating allows
    browser.answer_pages(answers)
    phq9 = definitions.catalog()["phq9"]

    review = browser.get("/survey/review").get_data(as_text=True)
    first = review.split('id="questionnaire-1"')[1].split("</section>")[0]

    assert '<details class="review-answers">' in first and "<summary>" in first
    assert "Your answers (6 of 9 answered)" in first  # item 10 is not scored: not counted, not listed
    option = phq9.response_scale(phq9.item(1)).options[1].label["en"]
    assert f"<dt dir=\"auto\">1. {phq9.item(1).text['en']}</dt>" in first and f"<dd dir=\"auto\">{option}</dd>" in first
    assert first.count("Not answered – answer it") == 3
    assert 'href="/survey/q/1/1?check=1#item-2-0"' in first
    # The counts agree with the marks: one more needed, and the three open ones are all marked.
    assert "at least 1 more of the questions marked" in first
    assert first.count("(must be answered)") == 3


def test_review_counts_agree_when_everything_is_answered(invite, browser):
    issued = invite(language="en")
    browser.get(f"/i/{issued.token}")
    browser.answer_pages(all_answered(0))

    review = browser.get("/survey/review").get_data(as_text=True)

    assert review.count("All questions answered.") == 4 and "Not answered" not in review
    assert "Your answers (9 of 9 answered)" in review and "Your answers (7 of 7 answered)" in review


def test_crisis_page_in_arabic_isolates_every_phone_number(invite, browser):
    issued = invite(language="ar")
    answers = all_answered(0)
    answers[1][9] = 2
    browser.get(f"/i/{issued.token}")
    for number in (3, 4):  # CORE-10 and WSAS lack Arabic: read them in Norwegian
        page = browser.get(f"/survey/q/{number}/language").get_data(as_text=True)
        browser.post(f"/survey/q/{number}/language", {"csrf_token": csrf(page), "language": "nb"})
    browser.answer_pages(answers)
    browser.post("/survey/submit", browser.submit_form())

    html = browser.get("/survey/done").get_data(as_text=True)

    assert 'dir="rtl"' in html
    assert '<a class="phone" href="tel:116117"><bdi dir="ltr">116 117</bdi></a>' in html
    assert '<a class="phone" href="tel:113"><bdi dir="ltr">113</bdi></a>' in html
    assert '<bdi dir="ltr">22 00 00 00</bdi>' in html
    assert "<bdi>BUP Oslo</bdi>" in html


def test_sentences_isolate_numbers_and_names_and_escape_the_rest():
    made = bidi.fill(lambda **v: f"{v['scale']}: {v['score']} <af> {v['high']}",
                     scale=bidi.name(Phrase("PHQ-9 (total).", "en"), "ar"),
                     score=bidi.number(10), high=bidi.number(27))

    assert made == Markup('<bdi lang="en">PHQ-9 (total).</bdi>: <bdi dir="ltr">10</bdi> &lt;af&gt; '
                          '<bdi dir="ltr">27</bdi>')


def _history(*scores: float) -> ScoreHistory:
    return ScoreHistory(
        title=Phrase("PHQ-9", "en"), scale_name=Phrase("Depression severity", "en"), higher_is_worse=True,
        low=0.0, high=27.0,
        points=tuple(ScorePoint(submitted_at=datetime(2026, 1, day, 12, tzinfo=UTC), score=s,
                                band=Phrase("Moderate", "en")) for day, s in enumerate(scores, start=1)))


def test_thanks_summarises_the_latest_score_with_its_band_and_charts_only_from_two_points(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        one = history(_history(10), 0, locale="en")
        two = history(_history(18, 10), 0, locale="en")

    summary = ('<bdi>Depression severity</bdi>: <bdi dir="ltr">10</bdi> of <bdi dir="ltr">27</bdi>: '
               '<bdi>Moderate</bdi>')
    assert one["summary"] == Markup(summary) and two["summary"] == Markup(summary)
    assert one["chart"] is None and one["sentences"] == []
    assert 'class="chart' in two["chart"] and len(two["sentences"]) == 2


def test_thanks_promises_a_new_message_only_to_a_respondent_who_can_get_one(invite, browser, make_unit):
    told = []
    unit = make_unit()
    for contact in ({}, {"email": "kari@example.no"}):
        issued = invite(unit=unit, external_id=f"EPR-{len(told)}", language="en", **contact)
        browser.get(f"/i/{issued.token}")
        browser.answer_pages(all_answered(0))
        browser.post("/survey/submit", browser.submit_form())
        told.append("You will get a new message" in browser.get("/survey/thanks").get_data(as_text=True))

    assert told == [False, True]


def test_a_wrong_code_keeps_what_was_typed(browser):
    form = browser.get("/code").get_data(as_text=True)

    wrong = browser.post("/code", {"csrf_token": csrf(form), "code": "abcd 2345"}).get_data(as_text=True)

    assert 'value="abcd 2345"' in wrong


def test_the_code_page_names_the_tablets_unit_once_a_respondent_finished_on_it(invite, browser):
    assert '<span class="brand">pro-service</span>' in browser.get("/code").get_data(as_text=True)
    issued = invite()
    form = browser.get("/code").get_data(as_text=True)
    browser.post("/code", {"csrf_token": csrf(form), "code": issued.short_code})
    browser.answer_pages(all_answered(0))
    browser.post("/survey/submit", browser.submit_form())

    again = browser.get("/code").get_data(as_text=True)

    assert '<span class="brand">BUP Oslo</span>' in again


def test_language_choice_lists_the_units_language_first_and_chooses_it(invite, browser):
    issued = invite(language="ar")
    browser.get(f"/i/{issued.token}")

    page = browser.get("/survey/q/3/language").get_data(as_text=True)  # CORE-10 has nb and en, not ar
    choices = CHOICE.findall(page)

    assert choices[0] == ("0", "nb", " checked") and all(not checked for _i, _c, checked in choices[1:])


def test_the_thank_you_chart_is_the_clinics_chart_with_bands_and_the_cut_off(app):
    banded = replace(_history(18, 10), bands=((0.0, "Minimal"), (5.0, "Mild"), (10.0, "Moderate")), cut_off=10.0)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        chart = str(history(banded, 0, locale="en")["chart"])

    assert 'class="chart chart--trajectory"' in chart and 'class="chart-cutoff"' in chart
    assert all(f">{name}<" in chart for name in ("Minimal", "Mild", "Moderate"))
