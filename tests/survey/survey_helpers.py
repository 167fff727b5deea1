"""Helpers for answering like a browser: read the rendered forms, post them, follow the redirects."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from pro_service import definitions

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
KEY = re.compile(r'name="key"[^>]*value="([^"]+)"')
ITEM = re.compile(r'name="item_(\d+)"')
PLAN = ("phq9", "gad7", "core10", "wsas")
"""The mh_adults start milestone's instruments, in the plan's order."""


def csrf(html: str) -> str:
    return CSRF.search(html).group(1)


@dataclass
class Browser:
    """A respondent's browser: follows the flow through the rendered forms, CSRF tokens and all."""

    client: object
    visited: list = field(default_factory=list)

    def get(self, url: str):
        response = self.client.get(url)
        self.visited.append(response)
        return response

    def post(self, url: str, data: dict):
        response = self.client.post(url, data=data)
        self.visited.append(response)
        return response

    def answer_pages(self, answers: dict[int, dict[int, int]], *, start: str = "/survey/q/1/1",
                     stop_before: int | None = None) -> str:
        """Answer page after page with 'next' (questionnaire number → item → position); returns where it ended."""
        url = start
        while url.startswith("/survey/q/"):
            number = int(url.split("/")[3])
            if stop_before is not None and number >= stop_before:
                return url
            html = self.get(url).get_data(as_text=True)
            data = {"csrf_token": csrf(html), "nav": "next"}
            for item in sorted({int(n) for n in ITEM.findall(html)}):
                value = answers.get(number, {}).get(item)
                if value is not None:
                    data[f"item_{item}"] = str(value)
            response = self.post(url, data)
            assert response.status_code == 303, response.get_data(as_text=True)
            url = response.headers["Location"]
        return url

    def submit_form(self) -> dict:
        html = self.get("/survey/review").get_data(as_text=True)
        return {"csrf_token": csrf(html), "key": KEY.search(html).group(1)}


def all_answered(value: int = 1) -> dict[int, dict[int, int]]:
    """Every item of every start questionnaire answered with the same position."""
    catalog = definitions.catalog()
    return {n: {item.number: value for item in catalog[i].items} for n, i in enumerate(PLAN, start=1)}
