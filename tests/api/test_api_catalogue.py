BASE = "/api/v1"


def test_packages_lists_every_package_with_milestones_time_limits_and_plan(client, auth_a, app):
    from pro_service import definitions

    body = client.get(f"{BASE}/packages", headers=auth_a).get_json()

    with app.app_context():
        assert [p["id"] for p in body["packages"]] == list(definitions.packages())
    adults = next(p for p in body["packages"] if p["id"] == "mh_adults")
    assert adults["code"] == "D11" and adults["country"] == "NO" and adults["name"]["en"]
    decision = next(m for m in adults["milestones"] if m["id"] == "clinical_decision")
    assert decision["time_limit"] == {"days": 42, "from_milestone": "first_consultation"}
    assert {"milestone": "start", "instrument": "phq9", "respondent": "self", "age_min": None, "age_max": None,
            "opens_days": 0, "due_days": 14, "expires_days": 42} in adults["plan"]


def test_instruments_lists_the_catalogue_with_scales_and_bands(client, auth_a, app):
    from pro_service import definitions

    body = client.get(f"{BASE}/instruments", headers=auth_a).get_json()

    with app.app_context():
        assert [i["id"] for i in body["instruments"]] == list(definitions.catalog())
    phq9 = next(i for i in body["instruments"] if i["id"] == "phq9")
    total = phq9["scales"][0]
    assert (total["min"], total["max"], total["direction"]) == (0, 27, "higher_is_worse")
    assert [b["code"] for b in total["bands"]][:2] == ["minimal", "mild"]
    assert phq9["respondents"] == ["self"] and phq9["languages"]["nb"] in {"official", "provisional"}
