"""Filling in a section: the page, saving with and without JavaScript, validation, conflicts."""

import re

import pytest
from django.urls import reverse

from assessment.models import Answer, Assessment, Item, ItemComment
from tests.factories import AssessmentFactory, answer_form_data

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def draft(content, authority):
    return AssessmentFactory(authority=authority)


def item(assessment: Assessment, code: str) -> Item:
    return Item.objects.get(questionnaire=assessment.questionnaire, code=code)


def answer(assessment: Assessment, code: str) -> Answer | None:
    return Answer.objects.filter(assessment=assessment, item__code=code).first()


def save_url(assessment: Assessment, action: int) -> str:
    return reverse("assessment:save", args=[assessment.pk, action])


def section_url(assessment: Assessment, action: int) -> str:
    return reverse("assessment:section", args=[assessment.pk, action])


def post(client, assessment, action, *parts, headers=None):
    data = {}
    for part in parts:
        data.update(part)
    return client.post(save_url(assessment, action), data, headers=headers or {})


# --- The page ----------------------------------------------------------------------------------


def test_section_page_shows_questions_help_levels_and_progress(client, officer, draft):
    client.force_login(officer)
    html = client.get(section_url(draft, 1)).content.decode()
    assert html.count("<h1") == 1
    assert "Action 1: Self-assessment framework" in html
    for code in ("A1.1", "A1.2", "A1.8"):
        assert code in html
    assert "Count only a formal assignment" in html  # help
    assert "2 · Defined" in html
    assert "A written data-sharing arrangement defines" in html  # the level's descriptor
    assert "How to reach the next level" in html
    assert "0 of 46 questions answered (0%)" in html
    assert "0 of 8 answered" in html


def test_every_field_has_a_label(client, officer, draft):
    client.force_login(officer)
    for action in range(1, 7):
        html = client.get(section_url(draft, action)).content.decode()
        labelled = set(re.findall(r'<label[^>]* for="([^"]+)"', html))
        fields = re.findall(r"<(?:input|textarea|select)[^>]*>", html)
        for field in fields:
            if 'type="hidden"' in field:
                continue
            field_id = re.search(r'id="([^"]+)"', field).group(1)
            assert field_id in labelled, field


def test_number_questions_show_their_range_unit_and_bands(client, officer, draft):
    client.force_login(officer)
    html = client.get(section_url(draft, 6)).content.decode()
    assert "Your figure (%)" in html
    assert "A figure from 0 to 100 %." in html
    assert "level 1 at 10 % or more" in html


def test_not_applicable_is_offered_only_where_the_item_allows_it(client, officer, draft):
    client.force_login(officer)
    html = client.get(section_url(draft, 3)).content.decode()
    assert 'name="A3_3-not_applicable"' in html
    assert 'name="A3_1-not_applicable"' not in html


def test_an_unknown_section_is_404(client, officer, draft):
    client.force_login(officer)
    assert client.get(section_url(draft, 9)).status_code == 404
    assert client.post(save_url(draft, 9), {}).status_code == 404


# --- Saving without JavaScript -----------------------------------------------------------------


def test_save_without_javascript_redirects_to_the_page_and_records_who(client, officer, draft):
    client.force_login(officer)
    response = post(
        client,
        draft,
        1,
        answer_form_data(draft, item(draft, "A1.1"), yes="yes"),
        answer_form_data(
            draft,
            item(draft, "A1.2"),
            level="3",
            evidence_note="Yearly export.",
            evidence_url="https://example.org/data",
        ),
        answer_form_data(draft, item(draft, "A1.4"), number="2,5"),
    )
    assert response.status_code == 302
    assert response.url == section_url(draft, 1)
    assert answer(draft, "A1.1").yes is True
    saved = answer(draft, "A1.2")
    assert (saved.level, saved.evidence_note, saved.evidence_url) == (
        3,
        "Yearly export.",
        "https://example.org/data",
    )
    assert saved.updated_by == officer and saved.version == 1
    assert str(answer(draft, "A1.4").number) == "2.50"
    page = client.get(response.url).content.decode()
    assert "Your answers were saved at" in page
    assert "3 of 46 questions answered" in page
    assert "Last changed by Test Officer" in page


def test_posting_an_unchanged_page_writes_nothing(client, officer, colleague, draft):
    client.force_login(colleague)
    post(client, draft, 1, answer_form_data(draft, item(draft, "A1.2"), level="2"))
    client.force_login(officer)
    last_change = Assessment.objects.get(pk=draft.pk).updated_at
    data = {}
    for it in Item.objects.filter(
        section__questionnaire=draft.questionnaire, section__action__number=1
    ):
        data.update(answer_form_data(draft, it))
    response = client.post(save_url(draft, 1), data)
    assert response.status_code == 302
    stored = answer(draft, "A1.2")
    assert stored.version == 1 and stored.updated_by == colleague
    assert Answer.objects.filter(assessment=draft).count() == 1
    assert Assessment.objects.get(pk=draft.pk).updated_at == last_change
    assert "nothing new to save" in client.get(response.url).content.decode()


def test_not_applicable_with_a_reason_is_saved_and_clears_the_value(client, officer, draft):
    client.force_login(officer)
    a33 = item(draft, "A3.3")
    post(client, draft, 3, answer_form_data(draft, a33, level="2"))
    response = post(
        client,
        draft,
        3,
        answer_form_data(
            draft, a33, not_applicable="on", na_reason="We run no security technology."
        ),
    )
    assert response.status_code == 302
    stored = answer(draft, "A3.3")
    assert stored.not_applicable and stored.level is None
    assert stored.na_reason == "We run no security technology."
    assert stored.is_complete


def test_line_endings_from_browsers_do_not_count_as_a_change(client, officer, draft):
    client.force_login(officer)
    a12 = item(draft, "A1.2")
    post(client, draft, 1, answer_form_data(draft, a12, level="1", evidence_note="One\r\nTwo"))
    assert answer(draft, "A1.2").evidence_note == "One\nTwo"
    post(client, draft, 1, answer_form_data(draft, a12, evidence_note="One\r\nTwo"))
    assert answer(draft, "A1.2").version == 1


# --- Validation --------------------------------------------------------------------------------

BAD_VALUES = [
    ("A1.4", {"number": "11"}, "Enter a number from 0 to 10 years."),
    ("A1.4", {"number": "-1"}, "Enter a number from 0 to 10 years."),
    ("A1.4", {"number": "three"}, "Enter a number, for example 42 or 12.5."),
    ("A1.4", {"number": "NaN"}, "Enter a number, for example 42 or 12.5."),
    ("A1.4", {"number": "Infinity"}, "Enter a number, for example 42 or 12.5."),
    ("A1.4", {"number": "1e999999"}, "Enter a number from 0 to 10 years."),
    ("A1.4", {"number": "2.555"}, "Use at most two decimals."),
    ("A1.2", {"level": "7"}, "Choose one of the levels 0 to 4."),
    ("A1.2", {"level": "two"}, "Choose one of the levels 0 to 4."),
    ("A1.1", {"yes": "maybe"}, "Choose yes or no."),
    (
        "A3.3",
        {"not_applicable": "on", "na_reason": "  "},
        "Say why this question does not apply to your authority.",
    ),
    (
        "A1.2",
        {"not_applicable": "on", "na_reason": "Small town."},
        "cannot be marked as not applicable",
    ),
    (
        "A1.2",
        {"level": "2", "evidence_note": "x" * 4001},
        "Ensure this value has at most 4000 characters (it has 4001).",
    ),
    (
        "A3.3",
        {"not_applicable": "on", "na_reason": "y" * 1001},
        "Ensure this value has at most 1000 characters (it has 1001).",
    ),
    ("A1.2", {"level": "2", "evidence_url": "not a link"}, "Enter a full web address"),
    ("A1.2", {"level": "2", "evidence_note": "nul \x00 byte"}, "Null characters are not allowed."),
    ("A1.2", {"level": "2", "version": "abc"}, "the page was out of date"),
    ("A1.2", {"level": "2", "resolve": "both"}, "the page was out of date"),
]


@pytest.mark.parametrize(("code", "values", "message"), BAD_VALUES)
def test_a_bad_value_is_explained_next_to_its_field_and_nothing_else_is_lost(
    client, officer, draft, code, values, message
):
    client.force_login(officer)
    bad_item = item(draft, code)
    action = bad_item.action_number
    post(client, draft, action, answer_form_data(draft, bad_item, evidence_note="Before."))
    before = answer(draft, code)
    other = Item.objects.filter(section=bad_item.section).exclude(pk=bad_item.pk).first()
    good_value = {"level": "4"} if other.answer_type == "maturity" else {"yes": "no"}
    raw = {k: v for k, v in values.items() if k != "version"}
    bad = answer_form_data(draft, bad_item, **raw)
    if "version" in values:
        bad[f"{code.replace('.', '_')}-version"] = values["version"]
    response = post(client, draft, action, bad, answer_form_data(draft, other, **good_value))

    assert response.status_code == 200
    html = response.content.decode()
    card = html[html.index(f'id="item-{code.replace(".", "_")}"') :]
    card = card[: card.index('class="item-card', 10)] if 'class="item-card' in card[10:] else card
    assert message in card.replace("&#x27;", "'").replace("&quot;", '"')
    assert "1 answer was not saved" in html or "One answer was not saved" in html
    assert "Your input is still in the form below" in html
    after = answer(draft, code)
    assert (after.version, after.level, after.number, after.not_applicable) == (
        before.version,
        before.level,
        before.number,
        before.not_applicable,
    )
    assert Answer.objects.get(assessment=draft, item=other).is_complete  # the rest is saved


def test_the_rejected_input_stays_in_the_form(client, officer, draft):
    client.force_login(officer)
    a14, a12 = item(draft, "A1.4"), item(draft, "A1.2")
    response = post(
        client,
        draft,
        1,
        answer_form_data(draft, a14, number="12", evidence_note="From the audit."),
        answer_form_data(draft, a12, level="2", evidence_url="bad"),
    )
    html = response.content.decode()
    assert 'name="A1_4-number" id="id_A1_4-number" value="12"' in html
    assert "From the audit.</textarea>" in html
    assert 'value="2" checked' in html
    assert 'value="bad"' in html
    assert not Answer.objects.filter(assessment=draft).exists()


def test_an_item_of_another_section_in_the_post_is_ignored(client, officer, draft):
    client.force_login(officer)
    response = post(client, draft, 1, answer_form_data(draft, item(draft, "A2.1"), level="3"))
    assert response.status_code == 302
    assert answer(draft, "A2.1") is None


# --- Two colleagues at once --------------------------------------------------------------------


def test_a_colleague_save_since_loading_is_shown_next_to_mine_and_not_overwritten(
    client, officer, colleague, draft
):
    a12, a13 = item(draft, "A1.2"), item(draft, "A1.3")
    client.force_login(officer)
    post(client, draft, 1, answer_form_data(draft, a12, level="1"))
    officer_loaded = answer_form_data(draft, a12)  # the officer's page, version 1

    client.force_login(colleague)
    post(client, draft, 1, answer_form_data(draft, a12, level="3", evidence_note="Audit 2026."))

    client.force_login(officer)
    mine = {**officer_loaded, "A1_2-level": "2", "A1_2-evidence_note": "Our protocol."}
    response = post(client, draft, 1, mine, answer_form_data(draft, a13, level="4"))

    assert response.status_code == 200
    html = response.content.decode()
    stored = answer(draft, "A1.2")
    assert (stored.level, stored.updated_by, stored.version) == (3, colleague, 2)
    assert answer(draft, "A1.3").level == 4  # untouched by the colleague: saved
    assert "Test Colleague saved another answer to this question" in html
    assert "Their answer (saved)" in html and "Your answer (in the form below)" in html
    assert "3 · Implemented and monitored" in html and "Audit 2026." in html
    assert 'value="2" checked' in html and "Our protocol.</textarea>" in html
    assert 'name="A1_2-version" id="id_A1_2-version" value="2"' in html
    assert 'name="A1_2-conflict" value="True"' in html
    assert "Keep my answer" in html and "Use their answer" in html


def conflict_form(draft, officer_loaded, **mine):
    """What the officer's browser posts back from the conflict display."""
    data = {**officer_loaded, **{f"A1_2-{k}": v for k, v in mine.items()}}
    stored = answer(draft, "A1.2")
    theirs = answer_form_data(draft, item(draft, "A1.2"))
    data["A1_2-version"] = str(stored.version)
    data["A1_2-loaded"] = theirs["A1_2-loaded"]
    data["A1_2-conflict"] = "True"
    data["A1_2-flagged"] = "True"
    return data


@pytest.fixture
def conflicted(client, officer, colleague, draft):
    """Officer loaded A1.2 at level 1; the colleague then saved level 3."""
    a12 = item(draft, "A1.2")
    client.force_login(officer)
    post(client, draft, 1, answer_form_data(draft, a12, level="1"))
    loaded = answer_form_data(draft, a12)
    client.force_login(colleague)
    post(client, draft, 1, answer_form_data(draft, a12, level="3"))
    client.force_login(officer)
    return loaded


def test_keep_mine_saves_my_answer_over_the_colleague(client, officer, draft, conflicted):
    data = conflict_form(draft, conflicted, level="2", resolve="mine")
    response = client.post(save_url(draft, 1), data)
    assert response.status_code == 302
    stored = answer(draft, "A1.2")
    assert (stored.level, stored.updated_by, stored.version) == (2, officer, 3)


def test_use_theirs_keeps_the_colleague_answer(client, officer, colleague, draft, conflicted):
    data = conflict_form(draft, conflicted, level="2", resolve="theirs")
    response = client.post(save_url(draft, 1), data)
    assert response.status_code == 302
    stored = answer(draft, "A1.2")
    assert (stored.level, stored.updated_by, stored.version) == (3, colleague, 2)
    assert "answer was kept for A1.2" in client.get(response.url).content.decode()


def test_saving_again_without_choosing_still_shows_the_conflict(client, draft, conflicted):
    data = conflict_form(draft, conflicted, level="2")
    response = client.post(save_url(draft, 1), data)
    assert response.status_code == 200
    assert "Keep my answer" in response.content.decode()
    assert answer(draft, "A1.2").level == 3


def test_keep_mine_after_a_third_save_is_a_new_conflict(
    client, officer, colleague, draft, conflicted
):
    data = conflict_form(draft, conflicted, level="2", resolve="mine")
    client.force_login(colleague)
    post(client, draft, 1, answer_form_data(draft, item(draft, "A1.2"), level="4"))
    client.force_login(officer)
    response = client.post(save_url(draft, 1), data)
    assert response.status_code == 200
    assert answer(draft, "A1.2").level == 4


def test_a_question_i_did_not_touch_is_no_conflict_when_a_colleague_changed_it(
    client, officer, colleague, draft
):
    a12, a13 = item(draft, "A1.2"), item(draft, "A1.3")
    client.force_login(officer)
    page = {**answer_form_data(draft, a12), **answer_form_data(draft, a13)}
    client.force_login(colleague)
    post(client, draft, 1, answer_form_data(draft, a12, level="3"))
    client.force_login(officer)
    response = client.post(save_url(draft, 1), {**page, "A1_3-level": "2"})
    assert response.status_code == 302
    assert answer(draft, "A1.2").level == 3 and answer(draft, "A1.3").level == 2


def test_my_own_save_from_another_tab_is_no_conflict(client, officer, draft):
    a12 = item(draft, "A1.2")
    client.force_login(officer)
    first_tab = answer_form_data(draft, a12)
    post(client, draft, 1, answer_form_data(draft, a12, level="1"))  # the other tab
    response = client.post(save_url(draft, 1), {**first_tab, "A1_2-level": "2"})
    assert response.status_code == 302
    assert answer(draft, "A1.2").level == 2


def test_the_same_change_by_both_colleagues_is_no_conflict(client, officer, colleague, draft):
    a12 = item(draft, "A1.2")
    loaded = answer_form_data(draft, a12)
    client.force_login(colleague)
    post(client, draft, 1, answer_form_data(draft, a12, level="3"))
    client.force_login(officer)
    response = client.post(save_url(draft, 1), {**loaded, "A1_2-level": "3"})
    assert response.status_code == 302
    assert answer(draft, "A1.2").updated_by == colleague


# --- With JavaScript (htmx) --------------------------------------------------------------------


def test_autosave_answers_with_out_of_band_updates_only(client, officer, draft):
    client.force_login(officer)
    response = post(
        client, draft, 1, answer_form_data(draft, item(draft, "A1.2"), level="2"), headers=HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" not in html and "<html" not in html
    assert 'id="id_A1_2-version" value="1" hx-swap-oob="true"' in html
    assert 'id="status-A1_2" hx-swap-oob="true"><span class="saved-at">Saved at' in html
    assert 'id="progress-panel"' in html and "1 of 46 questions answered" in html
    assert "All changes saved at" in html
    assert answer(draft, "A1.2").level == 2


def test_htmx_and_full_page_show_the_same_progress_after_a_save(client, officer, draft):
    client.force_login(officer)
    partial = post(
        client, draft, 1, answer_form_data(draft, item(draft, "A1.2"), level="2"), headers=HTMX
    ).content.decode()
    page = client.get(section_url(draft, 1)).content.decode()

    def panel(html):
        start = html.index('<nav aria-labelledby="progress-title">')
        return html[start : html.index("</nav>", start)]

    assert panel(partial) == panel(page)


def test_autosave_with_a_bad_value_redraws_the_question_with_its_message(client, officer, draft):
    client.force_login(officer)
    response = post(
        client, draft, 1, answer_form_data(draft, item(draft, "A1.4"), number="99"), headers=HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="item-A1_4" hx-swap-oob="true"' in html
    assert "Enter a number from 0 to 10 years." in html
    assert 'value="99"' in html
    assert "One answer needs your attention" in html
    assert answer(draft, "A1.4") is None


def test_autosave_after_fixing_a_bad_value_redraws_the_question_without_message(
    client, officer, draft
):
    client.force_login(officer)
    fixed = answer_form_data(draft, item(draft, "A1.4"), number="3")
    fixed["A1_4-flagged"] = "True"
    html = post(client, draft, 1, fixed, headers=HTMX).content.decode()
    assert 'id="item-A1_4" hx-swap-oob="true"' in html
    assert "has-error" not in html
    assert answer(draft, "A1.4").number == 3


def test_autosave_conflict_redraws_the_question_with_both_answers(
    client, officer, draft, conflicted
):
    html = client.post(
        save_url(draft, 1), {**conflicted, "A1_2-level": "2"}, headers=HTMX
    ).content.decode()
    assert 'id="item-A1_2" hx-swap-oob="true"' in html
    assert "Their answer (saved)" in html and "Keep my answer" in html
    assert answer(draft, "A1.2").level == 3


def test_autosave_use_theirs_redraws_the_question_with_their_answer(client, draft, conflicted):
    data = conflict_form(draft, conflicted, level="2", resolve="theirs")
    html = client.post(save_url(draft, 1), data, headers=HTMX).content.decode()
    assert 'id="item-A1_2" hx-swap-oob="true"' in html
    assert 'value="3" checked' in html and "Keep my answer" not in html


def test_autosave_on_a_submitted_assessment_sends_the_browser_back_to_the_page(
    client, officer, authority, content
):
    submitted = AssessmentFactory(authority=authority, submitted=True)
    client.force_login(officer)
    response = post(
        client,
        submitted,
        1,
        answer_form_data(submitted, item(submitted, "A1.2"), level="0"),
        headers=HTMX,
    )
    assert response["HX-Redirect"] == section_url(submitted, 1)
    assert answer(submitted, "A1.2").level == 3


# --- Read-only, returned ------------------------------------------------------------------------


def test_a_submitted_assessment_is_read_only_for_officers(client, officer, authority, content):
    submitted = AssessmentFactory(authority=authority, submitted=True)
    client.force_login(officer)
    html = client.get(section_url(submitted, 1)).content.decode()
    assert '<form method="post" action="/assessment/' not in html
    assert "answers are read-only" in html
    assert "3 · Implemented and monitored" in html
    response = post(
        client, submitted, 1, answer_form_data(submitted, item(submitted, "A1.2"), level="0")
    )
    assert response.status_code == 302
    assert "can no longer be changed" in client.get(response.url).content.decode()
    assert answer(submitted, "A1.2").level == 3


def test_coordinators_read_sections_but_cannot_save(client, coordinator, draft):
    client.force_login(coordinator)
    html = client.get(section_url(draft, 1)).content.decode()
    assert "officers change its answers" in html
    assert 'id="questionnaire-form"' not in html
    response = post(client, draft, 1, answer_form_data(draft, item(draft, "A1.2"), level="0"))
    assert response.status_code == 403
    assert answer(draft, "A1.2") is None


def test_a_returned_assessment_is_editable_and_shows_the_coordinator_comments(
    client, officer, coordinator, authority, content
):
    returned = AssessmentFactory(authority=authority, returned=True)
    ItemComment.objects.create(
        assessment=returned,
        item=item(returned, "A1.2"),
        author=coordinator,
        text="Level 3 needs the yearly dataset.",
    )
    client.force_login(officer)
    html = client.get(section_url(returned, 1)).content.decode()
    assert "Returned for changes by the coordinators" in html
    assert "Please add evidence." in html
    card = html[html.index('id="item-A1_2"') : html.index('id="item-A1_3"')]
    assert "Level 3 needs the yearly dataset." in card
    assert 'id="questionnaire-form"' in html
    response = post(
        client, returned, 1, answer_form_data(returned, item(returned, "A1.2"), level="2")
    )
    assert response.status_code == 302
    assert answer(returned, "A1.2").level == 2
    overview = client.get(reverse("assessment:overview", args=[returned.pk])).content.decode()
    assert "Please add evidence." in overview
