"""Every page of the web UI. Views live with their app; the URL names are the contract."""

from django.urls import path

from huzhu.accounts import consent_views, phone_views, reset_views, two_factor_views
from huzhu.accounts import views as accounts
from huzhu.exchanges import alert_views, sms_webhooks
from huzhu.exchanges import views as exchanges
from huzhu.insights import (
    feedback_views,
    for_you_views,
    import_views,
    organiser_views,
    report_views,
)
from huzhu.insights import views as insights
from huzhu.posts import views as posts
from huzhu.safety import appeal_views, guidance_views, queue_views, reporting_views
from huzhu.safety import views as safety
from huzhu.trust import document_views, vouch_views
from huzhu.trust import views as trust
from huzhu.web import app_shell, map_views
from huzhu.web import views as web

urlpatterns = [
    path("", web.home, name="home"),
    path("map", map_views.feed_map, name="feed_map"),
    path("posts/new", posts.post_new, name="post_new"),
    path("posts/<int:post_id>", posts.post_detail, name="post_detail"),
    path("posts/<int:post_id>/status", posts.post_status, name="post_status"),
    path("posts/<int:post_id>/edit", posts.post_edit, name="post_edit"),
    path("me/posts", posts.my_posts, name="my_posts"),
    path("me/export", accounts.export_download, name="export_download"),
    path("me/erase", accounts.erase, name="account_erase"),
    path("me/two-factor", two_factor_views.two_factor_page, name="two_factor"),
    path("posts/<int:post_id>/respond", exchanges.respond, name="post_respond"),
    path("exchanges/<int:exchange_id>", exchanges.exchange_detail, name="exchange_detail"),
    path(
        "exchanges/<int:exchange_id>/messages",
        exchanges.exchange_messages,
        name="exchange_messages",
    ),
    path(
        "exchanges/<int:exchange_id>/<slug:action>",
        exchanges.exchange_action,
        name="exchange_action",
    ),
    path("me/inbox", exchanges.inbox, name="inbox"),
    path("me/inbox/read", exchanges.inbox_read, name="inbox_read"),
    path("me/trust", trust.trust_page, name="trust"),
    path("stories", trust.stories_page, name="stories"),
    path("me/verify", trust.verify_start, name="verify_start"),
    path("me/verify/<int:verification_id>", trust.verify_confirm, name="verify_confirm"),
    path("me/verify/document", document_views.verify_document, name="verify_document"),
    path("me/vouches", vouch_views.vouches_page, name="vouches"),
    path("me/vouches/<int:user_id>/withdraw", vouch_views.vouch_withdraw, name="vouch_withdraw"),
    path("posts/<int:post_id>/still-needed", exchanges.post_checkin, name="post_checkin"),
    path("me/alerts", alert_views.alerts_page, name="alerts"),
    path("me/alerts/<int:alert_id>/delete", alert_views.alert_delete, name="alert_delete"),
    path("me/notifications", alert_views.notification_settings, name="notification_settings"),
    path("transparency", insights.transparency, name="transparency"),
    path("transparency.csv", insights.transparency_csv, name="transparency_csv"),
    path("organisers/import", import_views.organiser_import, name="organiser_import"),
    path("transparency/reports", report_views.report_list, name="transparency_reports"),
    path(
        "transparency/reports/<str:period>",
        report_views.report_detail,
        name="transparency_report",
    ),
    path("organisers/heatmap", organiser_views.heatmap, name="organiser_heatmap"),
    path("organisers/posts.csv", organiser_views.posts_csv, name="organiser_posts_csv"),
    path("organisers/feedback", feedback_views.organiser_feedback, name="organiser_feedback"),
    path(
        "organisers/feedback/<int:feedback_id>",
        feedback_views.organiser_feedback_handle,
        name="organiser_feedback_handle",
    ),
    path(
        "organisers/improvements",
        feedback_views.organiser_improvement_new,
        name="organiser_improvement_new",
    ),
    path("feedback", feedback_views.feedback_page, name="feedback"),
    path("improvements", feedback_views.improvements_page, name="improvements"),
    path("me/consents", consent_views.consents_page, name="consents"),
    path("for-you", for_you_views.for_you_page, name="for_you"),
    path("for-you/reset", for_you_views.for_you_reset, name="for_you_reset"),
    path("moderation", safety.queue, name="moderation_queue"),
    # Trust's staff pages, before the target routes (which would read "documents" as a type).
    path("moderation/documents", document_views.documents_queue, name="moderation_documents"),
    path(
        "moderation/documents/<int:verification_id>/image",
        document_views.document_image,
        name="moderation_document_image",
    ),
    path(
        "moderation/documents/<int:verification_id>/<slug:action>",
        document_views.document_decide,
        name="moderation_document_decide",
    ),
    path(
        "moderation/organisations",
        vouch_views.organisations_page,
        name="moderation_organisations",
    ),
    path(
        "moderation/organisations/<int:user_id>/revoke",
        vouch_views.organisation_revoke,
        name="moderation_organisation_revoke",
    ),
    # Before the target routes, which would read "sanctions" or "appeals" as a target type.
    path(
        "moderation/appeals/<int:appeal_id>",
        appeal_views.moderation_appeal,
        name="moderation_appeal",
    ),
    path(
        "moderation/appeals/<int:appeal_id>/<slug:action>",
        appeal_views.moderation_appeal_action,
        name="moderation_appeal_action",
    ),
    path("moderation/sanctions/<int:sanction_id>/lift", safety.lift, name="moderation_lift"),
    path(
        "moderation/no-shows/<int:exchange_id>/<slug:action>",
        queue_views.no_show_decide,
        name="moderation_no_show_decide",
    ),
    path(
        "moderation/held/<int:post_id>/<slug:action>",
        queue_views.held_action,
        name="moderation_held_action",
    ),
    path(
        "moderation/reviews/<int:review_id>/handled",
        queue_views.review_handled,
        name="moderation_review_handled",
    ),
    path(
        "moderation/<slug:target_type>/<int:target_id>",
        safety.target_detail,
        name="moderation_target",
    ),
    path(
        "moderation/<slug:target_type>/<int:target_id>/<slug:action>",
        safety.target_action,
        name="moderation_action",
    ),
    path(
        "report/<slug:target_type>/<int:target_id>",
        reporting_views.report_page,
        name="report",
    ),
    path("moderation-log", safety.public_log, name="moderation_log"),
    path("guidance", guidance_views.guidance_page, name="guidance"),
    path("guidance/ask", guidance_views.ask_page, name="guidance_ask"),
    path("me/sanctions", safety.my_sanctions, name="my_sanctions"),
    path("me/sanctions/<int:sanction_id>/appeal", appeal_views.my_appeal, name="my_appeal"),
    path("appeal", appeal_views.appeal_restricted, name="appeal_restricted"),
    path("signup", accounts.signup, name="signup"),
    path("login", accounts.login_view, name="login"),
    path("login/phone", phone_views.phone_login, name="phone_login"),
    path("login/phone/appeal", phone_views.phone_appeal, name="phone_appeal"),
    path("manifest.webmanifest", app_shell.manifest, name="manifest"),
    path("sw.js", app_shell.service_worker, name="service_worker"),
    path("offline", app_shell.offline, name="offline"),
    path("sms/inbound/twilio", sms_webhooks.twilio_inbound, name="sms_inbound_twilio"),
    path("sms/inbound/aliyun/<str:token>", sms_webhooks.aliyun_inbound, name="sms_inbound_aliyun"),
    path("reset", reset_views.password_reset, name="password_reset"),
    path("reset/confirm", reset_views.password_reset_confirm, name="password_reset_confirm"),
    path("logout", accounts.logout_view, name="logout"),
]
