"""How the coordinators' and officers' pages look at 1280 px and on paper: the heatmap shows
its bands in colour, with every column in view; the header keeps to one row with the account
menu; printing leaves out navigation, buttons and forms."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from assessment.models import AnswerType, Item
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import AssessmentFactory, UrbanAuthorityFactory, fill, move_to

pytestmark = pytest.mark.django_db(transaction=True)

BANDS = ("initial", "developing", "established", "advanced")
WHITE = "rgb(255, 255, 255)"


@pytest.fixture
def wide(page):
    page.set_viewport_size({"width": 1280, "height": 900})
    return page


@pytest.fixture
def field(content, coordinator):
    """Approved assessments answered at every level, so that the heatmap has every band."""
    get_user_model().objects.filter(pk=coordinator.pk).update(
        first_name="Camille", last_name="Coordinator"
    )
    names = ["Annecy", "Bologna", "Leeuwarden", "Kaiserslautern", "Brussels-Capital Region"]
    for level, name in enumerate(names):
        assessment = AssessmentFactory(authority=UrbanAuthorityFactory(name=name))
        fill(assessment, level=level)
        move_to(assessment, "approved")
    # Level 1 on the maturity questions, yes and middling numbers elsewhere: 25 to 50.
    assessment = AssessmentFactory(authority=UrbanAuthorityFactory(name="Daugavpils"))
    items = Item.objects.filter(questionnaire=assessment.questionnaire)
    fill(assessment, level=1, items=items.filter(answer_type=AnswerType.MATURITY))
    fill(assessment, level=2, items=items.exclude(answer_type=AnswerType.MATURITY))
    move_to(assessment, "approved")
    # The widest row of the demo: a long name, a long status, "Established" in every cell.
    assessment = AssessmentFactory(
        authority=UrbanAuthorityFactory(name="Unione della Romagna Faentina")
    )
    fill(assessment, level=2, items=items.filter(answer_type=AnswerType.MATURITY))
    fill(assessment, level=3, items=items.exclude(answer_type=AnswerType.MATURITY))
    move_to(assessment, "returned")


def test_heatmap_cells_are_painted_in_one_colour_per_band(wide, field):
    log_in(wide, "coordinator")
    wide.goto("/assessment/coordinator/heatmap/")
    colours = {}
    for band in BANDS:
        cells = wide.locator(f"td.heat-cell.heat-{band}")
        assert cells.count() > 0, band
        colours[band] = cells.first.evaluate("cell => getComputedStyle(cell).backgroundColor")
        expect(cells.first.locator(".heat-band")).not_to_be_empty()  # the band in words too
    assert WHITE not in colours.values(), colours
    assert len(set(colours.values())) == len(BANDS), colours
    # The legend uses the same colours.
    for band in BANDS:
        chip = wide.locator(f".band-ladder .heat-chip.heat-{band}")
        assert chip.evaluate("c => getComputedStyle(c).backgroundColor") == colours[band]
    assert_accessible(wide)


def test_heatmap_overall_column_is_in_view_at_1280_px(wide, field):
    log_in(wide, "coordinator")
    wide.goto("/assessment/coordinator/heatmap/")
    frame = wide.locator(".heatmap-table").evaluate(
        "table => { const box = table.parentElement.getBoundingClientRect();"
        " return {x: box.x, width: box.width}; }"
    )
    overall = wide.get_by_role("columnheader", name="Overall").bounding_box()
    assert overall["x"] + overall["width"] <= frame["x"] + frame["width"] + 0.5
    assert frame["x"] + frame["width"] <= 1280
    last_cell = wide.locator(".heatmap-table tbody tr").first.locator("td").last.bounding_box()
    assert last_cell["x"] + last_cell["width"] <= frame["x"] + frame["width"] + 0.5


@pytest.mark.parametrize(
    ("username", "language"),
    [*(("coordinator", code) for code in ("en", "fr", "es", "it", "nl", "pl")), ("officer", "en")],
)
def test_the_logged_in_header_keeps_to_one_row_at_1280_px(
    wide, live_server, content, coordinator, officer, username, language
):
    get_user_model().objects.filter(pk=coordinator.pk).update(
        first_name="Camille", last_name="Coordinator"
    )
    log_in(wide, username)
    wide.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    wide.goto("/")
    expect(wide.locator("html")).to_have_attribute("lang", language)
    tops = wide.locator(".portal-header .nav-link").evaluate_all(
        "links => links.map(link => Math.round(link.getBoundingClientRect().top))"
    )
    assert len(set(tops)) == 1, tops
    controls = wide.locator(".portal-account > *").evaluate_all(
        "items => items.map(item => Math.round(item.getBoundingClientRect().top))"
    )
    assert len(set(controls)) == 1, controls
    assert wide.locator(".portal-header").bounding_box()["height"] < 80


def test_the_account_menu_leads_to_changing_the_password(wide, content, officer):
    log_in(wide, "officer")
    menu = wide.locator(".account-menu")
    expect(menu.get_by_role("link", name="Change your password")).to_be_hidden()
    menu.locator("summary").click()
    menu.get_by_role("link", name="Change your password").click()
    expect(wide.get_by_role("heading", level=1)).to_have_text("Change your password")


def test_the_account_menu_opens_without_javascript(no_js_page, content, officer):
    no_js_page.set_viewport_size({"width": 1280, "height": 900})
    log_in(no_js_page, "officer")
    no_js_page.locator(".account-menu summary").click()
    expect(no_js_page.get_by_role("link", name="Change your password")).to_be_visible()
    no_js_page.get_by_role("button", name="Log out").click()  # the menu is open already
    expect(no_js_page.get_by_role("link", name="Officer log in")).to_be_visible()


@pytest.fixture
def approved(content, authority, officer, coordinator):
    return AssessmentFactory(authority=authority, approved=True)


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("officer", "/assessment/{pk}/results/"),
        ("officer", "/assessment/{pk}/"),
        ("coordinator", "/assessment/{pk}/review/"),
    ],
)
def test_printing_leaves_out_navigation_buttons_and_forms(wide, approved, username, path):
    log_in(wide, username)
    wide.goto(path.format(pk=approved.pk))
    heading = wide.get_by_role("heading", level=1)
    expect(wide.locator(".portal-header nav")).to_be_visible()
    wide.emulate_media(media="print")
    expect(heading).to_be_visible()
    for hidden in (".portal-header", ".portal-footer", "main nav", "main .btn", "main form"):
        for element in wide.locator(hidden).all():
            expect(element).to_be_hidden()
