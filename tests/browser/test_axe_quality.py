"""The quality page, filled by the demo's ended pathways, is axe-clean and does not scroll sideways at 320 px."""
import pytest
from sqlmodel import select

from pro_service import definitions
from pro_service.demo import answer_invitation, create_demo
from pro_service.pathways.models import Unit
from pro_service.reports.demo import create_ended_pathways, demo_leader
from pro_service.types import utcnow



@pytest.fixture
def leader(session):
    """The demo unit and its leader, with sixteen pathways ended in the last complete quarter."""
    create_demo(packages=definitions.packages(), base_url="https://pro.example.no")
    unit = session.exec(select(Unit)).first()
    create_ended_pathways(unit=unit, packages=definitions.packages(), today=utcnow().date(), timezone="Europe/Oslo",
                          base_url="https://pro.example.no", answer=answer_invitation)
    credentials = demo_leader(unit)
    session.commit()
    return credentials


@pytest.mark.parametrize("locale", ["nb", "en"])
def test_quality_page(browser, live_server, browser_language, assert_accessible, leader, log_in, locale):
    browser_language(locale)
    log_in(*leader)
    try:
        assert_accessible(f"{live_server}/clinic/quality", where=f"the quality page ({locale})")
        cells = [cell.text for cell in browser.find_elements("css selector", "main td")]
        assert cells and "< 5" not in " ".join(cells)  # the demo shows every figure
        assert_accessible(f"{live_server}/clinic/quality?period=custom&start=2025-01-01&end=2026-12-31",
                          where=f"the quality page over two years, with its trend ({locale})")
        assert_accessible(f"{live_server}/clinic/quality?period=custom&start=2026-05-01&end=2026-01-01",
                          where=f"the quality page with a bad period ({locale})")
    finally:
        browser.delete_all_cookies()
