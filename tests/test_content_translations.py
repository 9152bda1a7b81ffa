"""Content translations (portal/content_translations.py): every kind of content shown in French
and Polish; a missing or outdated entry shown as its English source inside `lang="en"`, never a
blank; the status command's figures and exit codes; the coordinators' page and the footer's
review mark; a translation revision changes the report's fingerprint, never a score.
"""

import io
import json
import os
import re
import shutil
from pathlib import Path

import pypdf
import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from assessment import report
from assessment.access import get_assessment_for_user
from assessment.wording import unit_for
from portal.models import LanguageReviewEvent
from tests.factories import AssessmentFactory, approved_peer, fill

pytestmark = pytest.mark.usefixtures("content")

ROOTS = settings.CONTENT_TRANSLATION_ROOTS
QUESTIONNAIRE_VERSION = "2024.1"
LANGUAGES = ["fr", "pl"]


def catalogue(kind: str, language: str) -> dict:
    root = Path(ROOTS[kind])
    if kind == "questionnaire":
        root = root / QUESTIONNAIRE_VERSION
    return yaml.safe_load((root / f"{language}.yaml").read_text(encoding="utf-8"))


def text(kind: str, language: str, key: str) -> str:
    return catalogue(kind, language)["strings"][key]["text"].strip()


def first_paragraph(value: str) -> str:
    return value.split("\n\n")[0].strip()


def escaped(value: str) -> str:
    from django.utils.html import escape

    return escape(value)


def in_language(client: Client, language: str) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def site():
    from partnership.content import load_authorities, load_partnership

    load_authorities()
    load_partnership()


@pytest.fixture
def draft(authority, officer):
    assessment = AssessmentFactory(authority=authority)
    fill(assessment, level=3, by=officer)
    for n in range(5):
        approved_peer(score=40.0 + 5 * n, country="BE", population=90_000 + n)
    return get_assessment_for_user(officer, assessment.pk)


def write_yaml(path: Path, data: dict) -> None:
    """Write a catalogue, moving its modification time on (the loader's cache key) even when
    the clock has not ticked since the last write."""
    before = path.stat().st_mtime_ns
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    os.utime(path, ns=(before + 10**9, before + 10**9))


@pytest.fixture
def partial_catalogues(tmp_path, settings):
    """A copy of every catalogue where French misses Action 3's objective and item A1.2's
    level 0, and holds an outdated Action 3 problem and item A1.2 question (their English
    source changed after translation)."""
    roots = {}
    for kind, root in ROOTS.items():
        roots[kind] = tmp_path / kind
        shutil.copytree(root, roots[kind])
    settings.CONTENT_TRANSLATION_ROOTS = roots

    def edit(path: Path, change) -> None:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data["strings"])
        write_yaml(path, data)

    def actions(strings):
        del strings["action.3.objective"]
        strings["action.3.problem"]["source"] = "An older English wording."
        strings["action.3.short_title"]["text"] = ""  # blank counts as missing

    def questionnaire(strings):
        del strings["item.A1.2.level.0"]
        strings["item.A1.2.question"]["source"] = "An older English question?"

    edit(roots["actions"] / "fr.yaml", actions)
    edit(roots["questionnaire"] / QUESTIONNAIRE_VERSION / "fr.yaml", questionnaire)
    return roots


# --- Every kind of content, translated --------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_section_page_shows_questions_help_levels_guidance_and_intro_translated(
    client, officer, draft, language
):
    client.force_login(officer)
    html = in_language(client, language).get(reverse("assessment:section", args=[draft.pk, 1]))
    html = html.content.decode()

    for key in (
        "section.1.intro",
        "item.A1.2.question",
        "item.A1.2.help",
        "item.A1.2.guidance",
        "item.A1.2.level.0",
        "item.A1.2.level.4",
    ):
        assert escaped(text("questionnaire", language, key)) in html, key
    assert escaped(text("actions", language, "action.1.short_title")) in html
    assert "No crime or incident data are available" not in html
    assert 'lang="en"' not in html.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_results_page_shows_action_titles_and_questions_translated(
    client, officer, draft, language
):
    client.force_login(officer)
    response = in_language(client, language).get(reverse("assessment:results", args=[draft.pk]))
    html = response.content.decode()

    assert escaped(text("actions", language, "action.2.final_title")) in html
    assert escaped(text("questionnaire", language, "item.A1.2.question")) in html
    assert "Governance and funding" not in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_action_page_shows_its_texts_and_interlink_reasons_translated(client, language):
    html = in_language(client, language).get(reverse("actions:detail", args=[4])).content.decode()

    assert escaped(text("actions", language, "action.4.final_title")) in html
    assert escaped(first_paragraph(text("actions", language, "action.4.objective"))) in html
    assert escaped(text("actions", language, "link.4-5.reason")) in html
    assert 'lang="en"' not in html.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_partnership_page_and_privacy_notice_are_translated(client, site, language):
    client = in_language(client, language)
    about = client.get(reverse("partnership:about")).content.decode()
    privacy = client.get(reverse("partnership:privacy")).content.decode()

    assert escaped(text("partnership", language, "content.priority-areas.title")) in about
    assert escaped(text("partnership", language, "meeting.nice-2019.focus")) in about
    assert escaped(text("partnership", language, "partner.City of Toruń.name")) in about
    assert escaped(text("partnership", language, "content.privacy-notice.title")) in privacy
    body = text("partnership", language, "content.privacy-notice.body")
    assert escaped(first_paragraph(body)) in privacy
    assert "This notice explains what personal data" not in privacy


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_report_data_is_translated(draft, language):
    data = report.report_for(draft, language=language)

    assert data.actions[1].objective.text == text("actions", language, "action.1.objective")
    assert str(data.results.actions[1].title) == text("actions", language, "action.2.final_title")
    first_item = data.appendix[0][1][0]
    assert str(first_item.question) == text("questionnaire", language, "item.A1.1.question")
    assert data.wording.questionnaire >= 1 and data.wording.language == language


def test_the_polish_pdf_prints_the_polish_texts_and_the_translation_revision(
    client, officer, draft, report_worker
):
    client.force_login(officer)
    url = reverse("assessment:report_pdf", args=[draft.pk])

    response = report_worker.download(client, url, headers={"accept-language": "pl"})

    reader = pypdf.PdfReader(io.BytesIO(response.content))
    pdf_text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert text("actions", "pl", "action.1.short_title") in pdf_text
    assert text("questionnaire", "pl", "item.A1.1.question") in pdf_text
    assert "Self-assessment framework" not in pdf_text
    assert "Framework for a Self-Assessment tool" not in pdf_text
    revision = catalogue("questionnaire", "pl")["revision"]
    assert f"questionnaire {revision}" in pdf_text or f"kwestionariusz {revision}" in pdf_text


def test_the_accessibility_statement_no_longer_says_content_is_english_only(client, site):
    for language in ["en", "fr", "es", "it", "nl", "pl"]:
        html = in_language(client, language).get(reverse("partnership:accessibility"))
        html = html.content.decode()
        assert "English only" not in html
        assert "qu'en anglais" not in html
    assert (
        "Polish"
        in in_language(client, "en").get(reverse("partnership:accessibility")).content.decode()
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1, "rok"), (2, "lata"), (4, "lata"), (5, "lat"), (12, "lat"), (22, "lata"), (0, "lat")],
)
def test_polish_units_take_the_cldr_plural_form(value, expected):
    with translation.override("pl"):
        assert unit_for("years", value) == expected
    with translation.override("pl"):
        assert unit_for("years", 1.5) == "roku"


# --- Missing or outdated: the English source, marked -------------------------------------------


def test_a_missing_or_outdated_action_text_shows_the_english_source_marked_english(
    client, partial_catalogues
):
    html = in_language(client, "fr").get(reverse("actions:detail", args=[3])).content.decode()

    objective = "Assess how artificial-intelligence security tools perform in public spaces"
    assert f'<div lang="en"><p>{objective}' in html
    assert '<div lang="en"><p>Technology such as video analytics' in html
    # The translated texts around them stay French, unmarked.
    assert escaped(text("actions", "fr", "action.3.final_title")) in html
    # A blank translation is missing too: the <title> gets the English words, never a blank.
    assert "<title>" in html and "AI inclusive technologies" in html.split("</title>")[0]


def test_a_missing_level_and_an_outdated_question_are_english_inside_lang_en(
    client, officer, draft, partial_catalogues
):
    client.force_login(officer)
    response = in_language(client, "fr").get(reverse("assessment:section", args=[draft.pk, 1]))
    html = response.content.decode()

    question = "How complete and up to date are the city&#x27;s recorded crime"
    assert f'<span lang="en">{question}' in html
    level = "No crime or incident data are available to the city below whole-city totals."
    assert f'<span lang="en">{level}</span>' in html
    assert escaped(text("questionnaire", "fr", "item.A1.2.level.1")) in html


def test_a_fallback_inside_an_attribute_marks_the_element_not_the_attribute(
    client, coordinator, partial_catalogues
):
    client.force_login(coordinator)
    html = in_language(client, "fr").get(reverse("assessment:coordinator_heatmap"))
    html = html.content.decode()

    assert '<abbr title="AI inclusive technologies" lang="en">' in html
    assert 'title="<span' not in html


def test_a_fallback_is_marked_in_the_report_data(draft, partial_catalogues):
    data = report.report_for(draft, language="fr")

    objective = data.actions[3].objective
    assert objective.fallback and objective.language == "en"
    assert objective.text.startswith("Assess how artificial-intelligence")
    assert 'lang="en"' in objective.__html__()
    assert not data.actions[1].objective.fallback


# --- translation_status ----------------------------------------------------------------------


def status_json(*args) -> list[dict]:
    out = io.StringIO()
    call_command("translation_status", "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_every_shipped_language_is_complete():
    """The CI gate: every shipped language at 100 % in every file."""
    call_command("translation_status", "--fail-under", "100", stdout=io.StringIO())


def test_the_status_lists_every_shipped_language_and_file():
    statuses = {s["language"]: s for s in status_json()}

    assert set(statuses) == {"fr", "es", "it", "nl", "pl"}
    files = [f["file"] for f in statuses["pl"]["files"]]
    assert files == [
        "locale/pl/LC_MESSAGES/django.po",
        "assessment/questionnaires/i18n/2024.1/pl.yaml",
        "actions/data/i18n/pl.yaml",
        "partnership/data/i18n/pl.yaml",
        "assessment/questionnaires/units.yaml",
    ]
    content = statuses["pl"]["files"][1]
    assert content["percent"] == 100.0 and content["total"] > 300 and content["revision"] >= 1


def test_the_status_counts_missing_and_outdated_entries_and_fails_under_the_threshold(
    partial_catalogues,
):
    [french] = status_json("--language", "fr")
    actions = next(f for f in french["files"] if f["file"].endswith("actions/fr.yaml"))

    assert sorted(actions["missing"]) == ["action.3.objective", "action.3.short_title"]
    assert actions["outdated"] == ["action.3.problem"]
    assert actions["translated"] == actions["total"] - 3
    assert actions["percent"] == round(100 * (actions["total"] - 3) / actions["total"], 1)
    with pytest.raises(CommandError, match=r"fr: .*actions/fr\.yaml 93\.8 %"):
        call_command("translation_status", "--language", "fr", "--fail-under", "100")
    call_command(
        "translation_status", "--language", "fr", "--fail-under", "90", stdout=io.StringIO()
    )
    out = io.StringIO()
    call_command("translation_status", "--language", "fr", stdout=out)
    assert "missing: action.3.objective" in out.getvalue()
    assert "outdated: item.A1.2.question" in out.getvalue()


def test_a_language_without_files_counts_everything_missing(settings, tmp_path):
    settings.CONTENT_TRANSLATION_ROOTS = {kind: tmp_path / kind for kind in ROOTS}
    [polish] = status_json("--language", "pl")
    content = polish["files"][1:4]
    assert all(f["percent"] == 0.0 and f["missing"] for f in content)


def test_an_unknown_language_is_refused_by_name():
    with pytest.raises(CommandError, match="Not a shipped language: xx"):
        call_command("translation_status", "--language", "xx")


def test_languages_are_english_and_those_with_an_interface_catalogue():
    codes = [code for code, _name in settings.LANGUAGES]
    assert codes == ["en", "es", "fr", "it", "nl", "pl"]
    assert len(settings.EU_OFFICIAL_LANGUAGES) == 24


# --- The coordinators' page and the footer -----------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in_and_officers_refused(client, officer):
    page = reverse("portal:translations")
    post = reverse("portal:review_language", args=["fr"])
    assert client.get(page).status_code == 302
    assert client.post(post, {"reviewed": "yes"}).status_code == 302
    client.force_login(officer)
    assert client.get(page).status_code == 403
    assert client.post(post, {"reviewed": "yes"}).status_code == 403
    assert not LanguageReviewEvent.objects.exists()


def test_the_coordinator_sees_the_figures_per_language_and_file(client, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("portal:translations")).content.decode()

    assert "actions/data/i18n/pl.yaml" in html and "locale/nl/LC_MESSAGES/django.po" in html
    assert html.count('name="reviewed"') == 2 * 5


def test_the_coordinator_page_lists_what_is_missing(client, coordinator, partial_catalogues):
    client.force_login(coordinator)
    html = client.get(reverse("portal:translations")).content.decode()

    assert "<code>action.3.objective</code>" in html and "<code>action.3.problem</code>" in html


def review_mark(client: Client) -> str | None:
    """The footer's review mark of the home page ("yes", "no"; None where there is none)."""
    html = client.get(reverse("portal:home")).content.decode()
    found = re.search(r'class="translation-review" data-reviewed="(yes|no)">([^<]+)<', html)
    return found[1] if found else None


def test_marking_a_language_reviewed_is_logged_and_shown_in_its_footer_at_once(
    client, coordinator, site
):
    visitor = in_language(Client(), "fr")
    assert review_mark(visitor) == "no"
    assert review_mark(visitor) == "no"  # the second request: from the public page cache

    client.force_login(coordinator)
    response = client.post(reverse("portal:review_language", args=["fr"]), {"reviewed": "yes"})

    assert response.status_code == 302
    event = LanguageReviewEvent.objects.get()
    assert (event.language, event.reviewed, event.by) == ("fr", True, coordinator)
    assert review_mark(visitor) == "yes"
    assert review_mark(in_language(Client(), "pl")) == "no"
    assert review_mark(in_language(Client(), "en")) is None
    client.post(reverse("portal:review_language", args=["fr"]), {"reviewed": "no"})
    assert review_mark(visitor) == "no"
    assert LanguageReviewEvent.objects.count() == 2


def test_an_invalid_review_mark_is_refused_with_a_message(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("portal:review_language", args=["fr"]), {"reviewed": "maybe"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not LanguageReviewEvent.objects.exists()
    unknown = client.post(reverse("portal:review_language", args=["xx"]), {"reviewed": "yes"})
    assert unknown.status_code == 404


# --- Revisions ------------------------------------------------------------------------------


def test_a_corrected_wording_changes_the_fingerprint_but_not_the_scores_or_version(
    draft, partial_catalogues
):
    before = report.report_for(draft, language="fr")
    fingerprint = report.fingerprint(draft, language="fr")
    path = partial_catalogues["questionnaire"] / QUESTIONNAIRE_VERSION / "fr.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["revision"] += 1
    write_yaml(path, data)

    after = report.report_for(draft, language="fr")

    assert report.fingerprint(draft, language="fr") != fingerprint
    assert after.hash != before.hash
    assert after.wording.questionnaire == before.wording.questionnaire + 1
    assert after.results.questionnaire_version == before.results.questionnaire_version
    assert after.results.overall == before.results.overall
    assert [a.score for a in after.results.actions] == [a.score for a in before.results.actions]
    assert report.fingerprint(draft, language="en") == report.fingerprint(draft, language="en")


def test_a_fallback_inside_an_option_marks_the_option(client, coordinator, partial_catalogues):
    """Action 3's final title is translated, so the test catalogue blanks it for this check."""
    path = partial_catalogues["actions"] / "fr.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["strings"]["action.3.final_title"]["text"] = ""
    write_yaml(path, data)
    client.force_login(coordinator)

    html = in_language(client, "fr").get(reverse("feedback:moderation")).content.decode()

    english = "3. Evaluate the application of AI inclusive technologies"
    assert f'<option value="3" lang="en">{english}</option>' in html
    french = text("actions", "fr", "action.4.final_title")
    assert f'<option value="4">4. {escaped(french)}</option>' in html
    assert "<span" not in html.split('<option value="3"', 1)[1].split("</option>")[0]
