import json
from axe_playwright_python.sync_playwright import Axe


def test_debug(page, officer, url, at, sign_in, family):
    sign_in(page, officer, pass_second_factor=False)
    page.locator("#id_token").fill("000000x")
    page.get_by_role("main").get_by_role("button").click()
    page.locator(".govuk-error-summary").wait_for()
    print(page.locator("main").inner_html())
    r = Axe().run(page, options={"resultTypes": ["violations", "incomplete"]}).response
    print("passes", len(r["passes"]), "violations", len(r["violations"]), "incomplete", len(r["incomplete"]))
    for v in r["incomplete"]:
        print(v["id"], [n["html"][:200] for n in v["nodes"]], [n.get("any") and n["any"][0]["message"] for n in v["nodes"]])
    for name in ["account_login"]:
        page.goto(url(name))
        r = Axe().run(page, options={"resultTypes": ["violations", "incomplete"]}).response
        print(name, "passes", len(r["passes"]), [p["id"] for p in r["passes"]])
        for v in r["incomplete"]:
            print(v["id"], [n["html"][:200] for n in v["nodes"]])
