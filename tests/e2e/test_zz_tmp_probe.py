import pytest
from tests.e2e.test_accessibility import run_axe, describe, axe_source  # noqa

pytestmark = pytest.mark.django_db(transaction=True)


def test_probe_csp(page):
    page.goto("/accounts/login/")
    page.evaluate("""document.body.insertAdjacentHTML('beforeend', '<div style="color:red">x</div>')""")
    page.wait_for_timeout(200)


def test_probe_console(page):
    page.goto("/accounts/login/")
    page.evaluate("console.error('boom')")
    page.wait_for_timeout(200)


def test_probe_addscripttag(page):
    page.goto("/accounts/login/")
    try:
        page.add_script_tag(path="tests/e2e/assets/axe.min.js")
    except Exception as e:
        print("add_script_tag raised", type(e), str(e)[:200])
    print("axe defined:", page.evaluate("typeof window.axe"))
    page.wait_for_timeout(200)


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"])
def test_probe_axe_all(page, path, axe_source):
    page.goto(path)
    v = run_axe(page, axe_source)
    print(path, "violations:", describe(v) or "none")
    print("passes:", page.evaluate("async () => (await axe.run()).passes.length"))

from tests.e2e.helpers import log_in

@pytest.mark.parametrize("path", ["/dashboard/", "/profile/", "/accounts/password/change/", "/accounts/email/", "/accounts/logout/"])
def test_probe_axe_logged(page, learner, path, axe_source):
    log_in(page, learner.email)
    page.goto(path)
    v = run_axe(page, axe_source)
    print(path, "violations:", describe(v) or "none")

def test_probe_axe_errors(page, learner, axe_source):
    page.goto("/accounts/signup/")
    page.get_by_label("Email", exact=True).fill("x@y.test")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Password (again)", exact=True).fill("other")
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_load_state()
    print("signup errors:", describe(run_axe(page, axe_source)) or "none")
    from tests.e2e.helpers import snap
    snap(page, "probe-signup-errors")
    page.goto("/accounts/login/")
    page.get_by_label("Email", exact=True).fill(learner.email)
    page.get_by_label("Password", exact=True).fill("nope-nope-nope")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()
    print("login errors:", describe(run_axe(page, axe_source)) or "none")
