from django.urls import path

from quiz.views import attempts, exams, groups, pages, progress

app_name = "quiz"

urlpatterns = [
    path("", pages.home, name="home"),
    path("dashboard/", pages.dashboard, name="dashboard"),
    path("topics/<slug:topic_key>/", pages.topic_detail, name="topic-detail"),
    path("progress/", progress.progress_page, name="progress"),
    path("progress/confusions/<slug:concept_key>/", progress.confusion_detail, name="confusion-detail"),
    path("progress/drill/", progress.start_drill, name="start-drill"),
    path("progress/answers.csv", progress.export_answers, name="export-answers"),
    path("progress/domains.csv", progress.export_domain_results, name="export-domain-results"),
    path("groups/", groups.group_list, name="group-list"),
    path("groups/join/<str:invite_code>/", groups.group_join, name="group-join"),
    path("groups/<int:group_id>/", groups.group_dashboard, name="group-dashboard"),
    path("groups/<int:group_id>/invite/", groups.regenerate_invite, name="regenerate-invite"),
    path("groups/<int:group_id>/leave/", groups.leave_group, name="leave-group"),
    path("groups/<int:group_id>/delete/", groups.delete_group, name="delete-group"),
    path("groups/<int:group_id>/leaderboard/", groups.leaderboard_visibility, name="leaderboard-visibility"),
    path("groups/<int:group_id>/members/<int:membership_id>/remove/", groups.remove_member, name="remove-member"),
    path("groups/<int:group_id>/members/<int:membership_id>/promote/", groups.promote_member, name="promote-member"),
    path("groups/<int:group_id>/assignments/new/", groups.assignment_new, name="assignment-new"),
    path("groups/<int:group_id>/assignments/<int:assignment_id>/", groups.assignment_detail, name="assignment-detail"),
    path("groups/<int:group_id>/assignments/<int:assignment_id>/start/", groups.start_assignment, name="start-assignment"),
    path("exams/new/", exams.exam_new, name="exam-new"),
    path("exams/full/", exams.start_full_exam, name="start-full-exam"),
    path(
        "attempts/<int:attempt_id>/questions/<int:slot>/",
        attempts.attempt_question,
        name="attempt-question",
    ),
    path(
        "attempts/<int:attempt_id>/questions/<int:slot>/flag/",
        attempts.flag_question,
        name="flag-question",
    ),
    path(
        "attempts/<int:attempt_id>/questions/<int:slot>/time/",
        attempts.record_time,
        name="record-time",
    ),
    path(
        "attempts/<int:attempt_id>/questions/<int:slot>/check/",
        attempts.check_answer,
        name="check-answer",
    ),
    path("attempts/<int:attempt_id>/resume/", attempts.resume_attempt, name="resume-attempt"),
    path("attempts/<int:attempt_id>/review/", attempts.attempt_review, name="attempt-review"),
    path("attempts/<int:attempt_id>/submit/", attempts.submit_attempt, name="submit-attempt"),
    path("attempts/<int:attempt_id>/discard/", attempts.discard_attempt, name="discard-attempt"),
    path("attempts/<int:attempt_id>/result/", attempts.attempt_result, name="attempt-result"),
    path("attempts/<int:attempt_id>/answers/", attempts.attempt_answers, name="attempt-answers"),
    path(
        "attempts/<int:attempt_id>/questions/<int:slot>/report/",
        attempts.report_question,
        name="report-question",
    ),
]
