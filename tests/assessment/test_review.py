"""The coordinator's review page: answers with evidence, item comments, return, approve, the
diff since the return, and the event history (also offered to the officers' pages)."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from assessment import workflow
from assessment.models import Answer, Assessment, AssessmentEvent, Item, ItemComment
from assessment.review import ReviewError, add_item_comment, changes_since_return
from tests.assessment.test_overview import bulk_field
from tests.factories import AssessmentFactory, CoordinatorFactory

pytestmark = pytest.mark.django_db
Status = Assessment.Status


@pytest.fixture
def submitted(content, authority, officer):
    assessment = AssessmentFactory(authority=authority, complete=True)
    Answer.objects.filter(assessment=assessment, item__code="A1.2").update(
        evidence_note="Police data-sharing protocol, 2024.",
        evidence_url="https://example.org/protocol.pdf",
    )
    workflow.submit(assessment=assessment, by=officer, notify=False)
    return assessment


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def review_url(assessment, what: str = "") -> str:
    name = f"assessment:review_{what}" if what else "assessment:review"
    return reverse(name, args=[assessment.pk])


def item(code: str) -> Item:
    return Item.objects.get(code=code)


def state(assessment) -> tuple:
    return (
        Assessment.objects.filter(pk=assessment.pk).values().get(),
        AssessmentEvent.objects.filter(assessment=assessment).count(),
        ItemComment.objects.filter(assessment=assessment).count(),
    )


# --- The page ------------------------------------------------------------------------------


def test_review_page_shows_answers_by_section_with_evidence_status_and_history(
    coordinator_client, submitted
):
    response = coordinator_client.get(review_url(submitted))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Review: Mechelen, 2026" in html
    assert "Action 1:" in html and "Action 6:" in html
    assert "Police data-sharing protocol, 2024." in html
    assert 'href="https://example.org/protocol.pdf"' in html
    assert "Level 3" in html
    assert 'id="review-status">Submitted<' in html
    assert "Return to the officers" in html and "Approve this assessment" in html
    assert f'name="revision" value="{submitted.revision}"' in html
    assert 'class="event event-submitted"' in html
    assert (
        html.count('name="text"')
        == Item.objects.filter(questionnaire=submitted.questionnaire).count()
    )


def test_every_field_on_the_review_page_has_a_label(coordinator_client, submitted):
    html = coordinator_client.get(review_url(submitted)).content.decode()
    ids = re.findall(r'<(?:textarea|select|input(?![^>]*type="hidden"))[^>]*\sid="([^"]+)"', html)
    assert ids
    for field_id in ids:
        assert f'for="{field_id}"' in html, field_id


def test_a_draft_shows_no_decision_forms(coordinator_client, content, authority):
    draft = AssessmentFactory(authority=authority, complete=True)
    html = coordinator_client.get(review_url(draft)).content.decode()
    assert "Return to the officers" not in html and "Approve this assessment" not in html
    assert "there is nothing to decide" in html


def test_review_page_queries_are_constant_in_assessments_comments_and_events(
    coordinator_client, submitted, coordinator, officer, django_assert_max_num_queries
):
    def load() -> None:
        response = coordinator_client.get(review_url(submitted))
        assert response.status_code == 200

    bulk_field(9)
    with django_assert_max_num_queries(12):
        load()
    bulk_field(290, start=9)
    assert Assessment.objects.count() == 300
    for code in ["A1.1", "A1.2", "A2.1", "A3.1", "A4.1"]:
        for n in range(6):
            ItemComment.objects.create(
                assessment=submitted, item=item(code), text=f"Note {n}", author=CoordinatorFactory()
            )
    for _ in range(3):
        workflow.return_for_changes(
            assessment=submitted, by=coordinator, comment="Again.", notify=False
        )
        workflow.submit(assessment=submitted, by=officer, notify=False)
    with django_assert_max_num_queries(12):
        load()


# --- Return --------------------------------------------------------------------------------


def test_coordinator_returns_with_a_comment(coordinator_client, submitted, coordinator):
    response = coordinator_client.post(
        review_url(submitted, "return"),
        {
            "comment": "Level 4 in A1.2 needs an evaluation report.",
            "revision": submitted.revision,
        },
    )
    assert response.status_code == 302
    assert response.url == review_url(submitted)
    submitted.refresh_from_db()
    assert submitted.status == Status.RETURNED
    assert submitted.return_comment == "Level 4 in A1.2 needs an evaluation report."
    page = coordinator_client.get(response.url).content.decode()
    assert "Returned to the officers with your comment" in page
    assert "waiting for the officers to resubmit" in page
    assert "Level 4 in A1.2 needs an evaluation report." in page
    assert "Return to the officers" not in page


def test_returning_without_a_comment_shows_the_error_next_to_the_field(
    coordinator_client, submitted
):
    before = state(submitted)
    response = coordinator_client.post(
        review_url(submitted, "return"), {"comment": "   ", "revision": submitted.revision}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="return-error"' in html and "returning requires a comment" in html
    assert 'aria-describedby="return-help return-error"' in html
    assert state(submitted) == before


def test_returning_from_a_stale_page_says_so_and_changes_nothing(
    coordinator_client, submitted, officer
):
    seen = submitted.revision
    workflow.return_for_changes(
        assessment=submitted, by=CoordinatorFactory(), comment="Fix.", notify=False
    )
    workflow.submit(assessment=submitted, by=officer, notify=False)
    before = state(submitted)
    response = coordinator_client.post(
        review_url(submitted, "return"), {"comment": "My late remark.", "revision": seen}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else changed this assessment while you were looking at it" in html
    assert "My late remark." in html  # what the coordinator typed is not lost
    assert state(submitted) == before


def test_a_refused_return_on_a_page_without_forms_keeps_what_was_typed(
    coordinator_client, submitted
):
    seen = submitted.revision
    workflow.approve(assessment=submitted, by=CoordinatorFactory(), notify=False)
    before = state(submitted)
    response = coordinator_client.post(
        review_url(submitted, "return"), {"comment": "Too late, sadly.", "revision": seen}
    )
    html = response.content.decode()
    assert "Return to the officers" not in html  # approved: no decision forms any more
    assert "Someone else changed this assessment" in html and "(it is now “Approved”)" in html
    assert "Your comment, which was not sent:" in html and "Too late, sadly." in html
    assert state(submitted) == before


def test_a_form_without_its_revision_is_refused(coordinator_client, submitted):
    before = state(submitted)
    response = coordinator_client.post(review_url(submitted, "approve"), {})
    assert response.status_code == 200
    assert "This page is incomplete; reload it and try again." in response.content.decode()
    assert state(submitted) == before


# --- Approve -------------------------------------------------------------------------------


def test_coordinator_approves(coordinator_client, submitted):
    response = coordinator_client.post(
        review_url(submitted, "approve"), {"revision": submitted.revision, "comment": "Thorough."}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.APPROVED
    assert submitted.approved_scores is not None
    page = coordinator_client.get(review_url(submitted)).content.decode()
    assert "Approved." in page and "Scores frozen at approval" in page
    assert "Thorough." in page  # in the history


def test_approving_a_draft_through_the_url_is_refused_with_a_clear_message(
    coordinator_client, content, authority
):
    draft = AssessmentFactory(authority=authority, complete=True)
    before = state(draft)
    response = coordinator_client.post(review_url(draft, "approve"), {"revision": draft.revision})
    assert response.status_code == 200
    assert "Only a submitted assessment can be approved" in response.content.decode()
    assert state(draft) == before


def test_approving_twice_says_it_is_already_approved(coordinator_client, submitted):
    revision = submitted.revision
    coordinator_client.post(review_url(submitted, "approve"), {"revision": revision})
    before = state(submitted)
    response = coordinator_client.post(review_url(submitted, "approve"), {"revision": revision})
    assert "already “Approved”" in response.content.decode()
    assert state(submitted) == before


def test_decisions_only_accept_post(coordinator_client, submitted):
    assert coordinator_client.get(review_url(submitted, "approve")).status_code == 405
    assert coordinator_client.get(review_url(submitted, "return")).status_code == 405
    assert coordinator_client.get(review_url(submitted, "comment")).status_code == 405


# --- Item comments -------------------------------------------------------------------------


def test_coordinator_comments_on_an_item_without_javascript(
    coordinator_client, submitted, coordinator
):
    target = item("A1.2")
    response = coordinator_client.post(
        review_url(submitted, "comment"),
        {"item": target.pk, "text": "The evidence link is broken."},
    )
    assert response.status_code == 302
    assert response.url == review_url(submitted) + "#item-A1_2"
    comment = ItemComment.objects.get(assessment=submitted)
    assert (comment.item, comment.author, comment.text) == (
        target,
        coordinator,
        "The evidence link is broken.",
    )
    page = coordinator_client.get(response.url).content.decode()
    assert "Comment added to A1.2." in page
    assert "The evidence link is broken." in page


def test_coordinator_comments_on_an_item_with_htmx(coordinator_client, submitted):
    target = item("A1.2")
    response = coordinator_client.post(
        review_url(submitted, "comment"),
        {"item": target.pk, "text": "Level 4 needs a report."},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<div class="item-comments" id="comments-{target.pk}">')
    assert "Level 4 needs a report." in html
    assert "<html" not in html
    assert 'id="comment-text-' in html  # a fresh form to add another
    assert ItemComment.objects.filter(assessment=submitted).count() == 1


def without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_the_htmx_partial_equals_the_block_of_the_full_page(coordinator_client, submitted):
    target = item("A2.1")
    partial = (
        coordinator_client.post(
            review_url(submitted, "comment"),
            {"item": target.pk, "text": "Same either way."},
            headers={"HX-Request": "true"},
        )
        .content.decode()
        .strip()
    )
    page = coordinator_client.get(review_url(submitted)).content.decode()
    assert without_csrf(partial) in without_csrf(page)


@pytest.mark.parametrize("htmx", [False, True])
def test_an_empty_item_comment_shows_the_error_next_to_the_item(
    coordinator_client, submitted, htmx
):
    target = item("A1.2")
    headers = {"HX-Request": "true"} if htmx else {}
    response = coordinator_client.post(
        review_url(submitted, "comment"), {"item": target.pk, "text": "  "}, headers=headers
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="comment-error-{target.pk}"' in html
    assert "Write a comment before adding it." in html
    assert not ItemComment.objects.exists()


@pytest.mark.parametrize("bad_item", ["", "abc", "999999"])
def test_a_comment_on_an_unknown_item_is_refused(coordinator_client, submitted, bad_item):
    response = coordinator_client.post(
        review_url(submitted, "comment"), {"item": bad_item, "text": "Hello"}, follow=True
    )
    assert response.status_code == 200
    assert "This question is not part of the assessment." in response.content.decode()
    assert not ItemComment.objects.exists()


def test_comments_are_refused_once_approved(coordinator_client, submitted, coordinator):
    workflow.approve(assessment=submitted, by=coordinator, notify=False)
    response = coordinator_client.post(
        review_url(submitted, "comment"), {"item": item("A1.2").pk, "text": "Too late."}
    )
    assert response.status_code == 200
    assert "Comments can be added only while" in response.content.decode()
    assert not ItemComment.objects.exists()


def test_add_item_comment_refuses_officers_and_blank_text(submitted, officer, coordinator):
    with pytest.raises(ReviewError, match="Only partnership coordinators"):
        add_item_comment(assessment=submitted, item=item("A1.2"), by=officer, text="Hi")
    with pytest.raises(ReviewError, match="Write a comment"):
        add_item_comment(assessment=submitted, item=item("A1.2"), by=coordinator, text=" ")
    with pytest.raises(ReviewError, match="under 2000"):
        add_item_comment(assessment=submitted, item=item("A1.2"), by=coordinator, text="x" * 2001)
    assert not ItemComment.objects.exists()


# --- Changes since the return --------------------------------------------------------------


def test_never_returned_means_no_diff(submitted):
    assert changes_since_return(assessment=submitted) is None


def test_the_diff_lists_what_the_officers_changed_since_the_return(
    coordinator_client, submitted, coordinator, officer
):
    workflow.return_for_changes(
        assessment=submitted, by=coordinator, comment="Fix A1.2.", notify=False
    )
    answer = Answer.objects.get(assessment=submitted, item__code="A1.2")
    answer.level = 4
    answer.evidence_url = "https://example.org/evaluation.pdf"
    answer.save()
    yes_no = Answer.objects.get(assessment=submitted, item__code="A1.1")
    yes_no.yes = False
    yes_no.save()
    workflow.submit(assessment=submitted, by=officer, notify=False)

    changes = changes_since_return(assessment=submitted)
    assert [c.item.code for c in changes] == ["A1.1", "A1.2"]
    a12 = {c.label: (c.before, c.after) for c in changes[1].changes}
    assert a12 == {
        "Answer": ("Level 3", "Level 4"),
        "Evidence link": ("https://example.org/protocol.pdf", "https://example.org/evaluation.pdf"),
    }
    assert [(c.before, c.after) for c in changes[0].changes] == [("Yes", "No")]

    html = coordinator_client.get(review_url(submitted)).content.decode()
    assert "Changes since the return on" in html
    assert "2 questions changed." in html
    assert '<del class="diff-before">Level 3</del>' in html
    assert '<ins class="diff-after">Level 4</ins>' in html
    assert html.count("changed since the return</span>") == 2


def test_no_change_since_the_return_is_said_plainly(
    coordinator_client, submitted, coordinator, officer
):
    workflow.return_for_changes(
        assessment=submitted, by=coordinator, comment="Check A1.", notify=False
    )
    workflow.submit(assessment=submitted, by=officer, notify=False)
    assert changes_since_return(assessment=submitted) == []
    html = coordinator_client.get(review_url(submitted)).content.decode()
    assert "No answer has changed since the return." in html


def test_the_diff_compares_with_the_latest_return(submitted, coordinator, officer):
    workflow.return_for_changes(assessment=submitted, by=coordinator, comment="One.", notify=False)
    Answer.objects.filter(assessment=submitted, item__code="A1.2").update(level=4)
    workflow.submit(assessment=submitted, by=officer, notify=False)
    workflow.return_for_changes(assessment=submitted, by=coordinator, comment="Two.", notify=False)
    Answer.objects.filter(assessment=submitted, item__code="A2.1").update(level=1)
    workflow.submit(assessment=submitted, by=officer, notify=False)
    assert [c.item.code for c in changes_since_return(assessment=submitted)] == ["A2.1"]


def test_a_cleared_answer_shows_as_not_answered(submitted, coordinator):
    workflow.return_for_changes(
        assessment=submitted, by=coordinator, comment="Redo A1.2.", notify=False
    )
    Answer.objects.filter(assessment=submitted, item__code="A1.2").delete()
    changes = changes_since_return(assessment=submitted)
    assert [(c.before, c.after) for c in changes[0].changes][0] == ("Level 3", "Not answered")


# --- The event history partial, for both sides ---------------------------------------------


def test_event_history_partial_lists_every_event_with_actor_and_comment(
    submitted, coordinator, officer
):
    coordinator.first_name, coordinator.last_name = "Camille", "Coordinator"
    coordinator.save()
    workflow.return_for_changes(
        assessment=submitted, by=coordinator, comment="Please add\nevidence.", notify=False
    )
    events = AssessmentEvent.objects.filter(assessment=submitted).select_related("actor")
    html = render_to_string("assessment/_event_history.html", {"events": events})
    assert html.count('<li class="event') == 2
    assert "Returned for changes" in html and "Camille Coordinator" in html
    assert "Please add<br>evidence." in html
    assert "(was Submitted)" in html


def test_event_history_partial_without_events(db):
    html = render_to_string("assessment/_event_history.html", {"events": []})
    assert "has not been submitted" in html
