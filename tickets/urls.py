"""The agent desk's pages (namespace ``desk``)."""

from django.urls import path

from reimbursements import views as reimbursements_views
from reviews import views as reviews_views

from .views import held, merge, profile, queue, workspace

app_name = "desk"

urlpatterns = [
    path("", queue.queue_home, name="queue"),
    path("queue/<slug:view>/", queue.queue, name="queue-view"),
    path("queue-bulk/", queue.queue_bulk, name="queue-bulk"),
    path("tickets/<int:pk>/", workspace.ticket_detail, name="ticket"),
    path("tickets/<int:pk>/reply/", workspace.ticket_reply_send, name="ticket-reply"),
    path("tickets/<int:pk>/update/", workspace.ticket_change, name="ticket-update"),
    path("tickets/<int:pk>/no-response-needed/", workspace.ticket_no_response, name="ticket-no-response"),
    path("tickets/<int:pk>/check/", workspace.ticket_compliance_check, name="ticket-check"),
    path("tickets/<int:pk>/presence/", workspace.ticket_presence, name="ticket-presence"),
    path("tickets/<int:pk>/merge/", merge.ticket_merge_page, name="ticket-merge"),
    path("settings/", profile.desk_settings, name="settings"),
    path("held/", held.held_queue, name="held"),
    path("held/<int:pk>/approve/", held.held_approve, name="held-approve"),
    path("held/<int:pk>/reject/", held.held_reject, name="held-reject"),
    path("outreach/", reviews_views.outreach_queue, name="outreach"),
    path("outreach/<int:pk>/", reviews_views.outreach_case, name="outreach-case"),
    path("outreach/<int:pk>/<slug:step>/", reviews_views.outreach_case_act, name="outreach-case-act"),
    path("reimbursements/", reimbursements_views.reimbursement_queue_page, name="reimbursements"),
    path("reimbursements/<int:pk>/filed/", reimbursements_views.reimbursement_case_file, name="reimbursement-file"),
]
