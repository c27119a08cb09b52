"""The world each row of the authorization matrix meets: every actor, and one of each object
the routes take (huzhu/tests/test_authorization_matrix.py)."""

from django.utils import timezone

from huzhu.accounts.consents import Consents, update_consents
from huzhu.accounts.models import User
from huzhu.accounts.services import issue_token
from huzhu.conftest import BEIJING, draft, make_user
from huzhu.exchanges.alerts import AlertDraft, create_alert
from huzhu.exchanges.models import Notification
from huzhu.exchanges.services import respond_to_post
from huzhu.insights.feedback import FeedbackDraft, give_feedback
from huzhu.insights.transparency_reports import generate_report, parse_period
from huzhu.posts.services import create_post
from huzhu.safety.appeals import file_appeal
from huzhu.safety.sanctions import impose_sanction
from huzhu.tests.matrix import World
from huzhu.tests.matrix_trust import build_trust_world
from huzhu.trust.models import Review
from huzhu.trust.tests.helpers import mark_email_verified
from huzhu.trust.verification import start_verification


def build_world() -> World:
    """Every actor, and one of each object the routes take, for one matrix row."""
    users = {
        actor: make_user(name)
        for actor, name in (
            ("owner", "alice"),
            ("counterpart", "bob"),
            ("outsider", "charlie"),
            ("new", "dora"),
            ("verified", "erin"),
            ("moderator", "mo"),
            ("operator", "opal"),
        )
    }
    User.objects.filter(pk=users["moderator"].pk).update(is_staff=True)
    User.objects.filter(pk=users["operator"].pk).update(is_staff=True, is_superuser=True)
    post = create_post(owner=users["owner"], draft=draft())
    exchange = respond_to_post(post=post, responder=users["counterpart"], quantity=1, message="")
    notification = Notification.objects.get(user=users["owner"], exchange=exchange)
    verification = start_verification(user=users["owner"], method="phone", address="13812345678")
    mark_email_verified(users["verified"], "erin@example.org")
    update_consents(user=users["owner"], consents=Consents(for_you_feed=True))
    alert = create_alert(
        owner=users["owner"],
        draft=AlertDraft(
            kind="offer", item="ibuprofen", lat=BEIJING[0], lng=BEIJING[1], radius_km=3
        ),
    )
    warning = impose_sanction(
        moderator=users["moderator"], user=users["owner"], kind="warn", rule="spam", reason="x"
    )
    appeal = file_appeal(user=users["owner"], sanction=warning, message="It was a mistake")
    generate_report(period=parse_period("2020-01"))
    feedback = give_feedback(user=users["owner"], draft=FeedbackDraft(rating=1))
    now = timezone.now()
    review = Review.objects.create(
        exchange=exchange,
        reviewer=users["counterpart"],
        reviewee=users["owner"],
        score=1,
        created_at=now,
        flagged_at=now,
    )
    trust_world = build_trust_world(users)
    return World(
        users={k: User.objects.get(pk=v.pk) for k, v in users.items()},
        post=post,
        exchange_id=exchange.pk,
        notification_id=notification.pk,
        verification_id=verification.pk,
        alert_id=alert.pk,
        sanction_id=warning.pk,
        token_id=issue_token(user=users["owner"], label="phone").token.pk,
        appeal_id=appeal.pk,
        feedback_id=feedback.pk,
        review_id=review.pk,
        **trust_world,
    )
