def test_every_page_names_the_icon_and_favicon_ico_leads_to_it(client):
    page = client.get("/code")
    assert b'rel="icon" href="/static/favicon.svg"' in page.data
    ico = client.get("/favicon.ico")
    assert ico.status_code == 301 and ico.headers["Location"].endswith("/static/favicon.svg")
    svg = client.get("/static/favicon.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    svg.close()
