from django.urls import path

from .views import (
    banks,
    builder,
    imports,
    marketplaces,
    media,
    questions,
    sittings,
    staff,
    standards,
    student,
)

app_name = "exams"
urlpatterns = [
    # Students
    path("", student.exam_list, name="exam_list"),
    path("<int:exam_id>/", student.exam_detail, name="exam_detail"),
    path("<int:exam_id>/start/", student.attempt_start, name="attempt_start"),
    path("attempts/<int:attempt_id>/", student.attempt_page, name="attempt"),
    path("attempts/<int:attempt_id>/result/", student.attempt_result, name="attempt_result"),
    path(
        "sittings/<int:sitting_id>/admission.pdf",
        student.admission_notice,
        name="admission_notice",
    ),
    # Teachers and mentors
    path("staff/", staff.staff_home, name="staff_home"),
    path("staff/banks/", banks.bank_list, name="bank_list"),
    path("staff/tags/", banks.question_tags, name="question_tags"),
    path("staff/banks/<int:bank_id>/", banks.bank_detail, name="bank_detail"),
    path("staff/banks/<int:bank_id>/questions/new/", questions.question_new, name="question_new"),
    path("staff/questions/<int:question_id>/", questions.question_preview, name="question_preview"),
    path("staff/questions/<int:question_id>/edit/", questions.question_edit, name="question_edit"),
    path(
        "staff/questions/<int:question_id>/duplicate/",
        banks.question_duplicate,
        name="question_duplicate",
    ),
    path(
        "staff/questions/<int:question_id>/history/",
        banks.question_history,
        name="question_history",
    ),
    path("staff/exams/new/", builder.exam_new, name="exam_new"),
    path("staff/exams/blueprint-count/", builder.blueprint_count, name="blueprint_count"),
    path("staff/exams/<int:exam_id>/build/", builder.exam_builder, name="exam_builder"),
    path("staff/exams/<int:exam_id>/publish/", builder.exam_publish, name="exam_publish"),
    path("staff/exams/<int:exam_id>/sample/", builder.exam_sample, name="exam_sample"),
    path("staff/exams/<int:exam_id>/blueprint/", staff.exam_blueprint, name="exam_blueprint"),
    path("staff/exams/<int:exam_id>/statistics/", staff.exam_statistics, name="exam_statistics"),
    path("staff/grading/", staff.grading_queue, name="grading_queue"),
    path("staff/grading/<int:question_id>/", staff.mark_answer, name="mark_answer"),
    path("staff/grading/<int:question_id>/file/", staff.answer_file, name="answer_file"),
    path("staff/versions/<int:version_id>/key/", staff.correct_key, name="correct_key"),
    path("staff/regrades/<int:job_id>/", staff.regrade_progress, name="regrade_progress"),
    path("staff/sittings/", sittings.sitting_list, name="sitting_list"),
    path("staff/exams/<int:exam_id>/sittings/new/", sittings.sitting_new, name="sitting_new"),
    path("staff/sittings/<int:sitting_id>/", sittings.sitting_console, name="sitting_console"),
    path("staff/sittings/<int:sitting_id>/edit/", sittings.sitting_edit, name="sitting_edit"),
    path(
        "staff/sittings/<int:sitting_id>/release/",
        sittings.sitting_release,
        name="sitting_release",
    ),
    path("staff/sittings/<int:sitting_id>/end/", sittings.sitting_end, name="sitting_end"),
    path(
        "staff/sittings/<int:sitting_id>/add-time/",
        sittings.sitting_add_time,
        name="sitting_add_time",
    ),
    path(
        "staff/sittings/<int:sitting_id>/accommodations/",
        sittings.sitting_accommodation,
        name="sitting_accommodation",
    ),
    path("staff/sittings/<int:sitting_id>/draw/", sittings.sitting_draw, name="sitting_draw"),
    path("staff/sittings/<int:sitting_id>/redraw/", sittings.sitting_redraw, name="sitting_redraw"),
    path("staff/exams/<int:exam_id>/overrides/", sittings.exam_overrides, name="exam_overrides"),
    path(
        "staff/exams/<int:exam_id>/overrides/<int:override_id>/delete/",
        sittings.exam_override_delete,
        name="exam_override_delete",
    ),
    path("staff/marketplaces/", marketplaces.marketplace_rules, name="marketplace_rules"),
    path(
        "staff/marketplaces/new/",
        marketplaces.marketplace_rules_edit,
        name="marketplace_rules_new",
    ),
    path(
        "staff/marketplaces/<slug:code>/",
        marketplaces.marketplace_rules_edit,
        name="marketplace_rules_edit",
    ),
    path("staff/banks/<int:bank_id>/import/", imports.bank_import, name="bank_import"),
    path("staff/banks/<int:bank_id>/export/", imports.bank_export, name="bank_export"),
    path(
        "staff/banks/<int:bank_id>/export/warnings/",
        imports.bank_export_warnings,
        name="bank_export_warnings",
    ),
    path("staff/imports/<int:job_id>/", imports.import_job, name="import_job"),
    path("staff/imports/template.xlsx", imports.import_template, name="import_template"),
    # Question images, for those who may see the bank's questions
    path("media/<str:token>/<str:name>", media.media_file, name="media"),
    # Government bodies: the standards workspace and accredited assessment centres
    path("standards/", standards.standards_home, name="standards_home"),
    path("standards/new/", standards.standard_new, name="standard_new"),
    path("standards/<int:standard_id>/", standards.standard_detail, name="standard_detail"),
    path("standards/<int:standard_id>/edit/", standards.standard_edit, name="standard_edit"),
    path("standards/<int:standard_id>/levels/new/", standards.level_edit, name="level_new"),
    path(
        "standards/<int:standard_id>/levels/<int:level_id>/",
        standards.level_edit,
        name="level_edit",
    ),
    path(
        "standards/<int:standard_id>/levels/<int:level_id>/delete/",
        standards.level_delete,
        name="level_delete",
    ),
    path(
        "standards/<int:standard_id>/publish/", standards.standard_publish, name="standard_publish"
    ),
    path(
        "standards/<int:standard_id>/new-version/",
        standards.standard_new_version,
        name="standard_new_version",
    ),
    path(
        "standards/<int:standard_id>/compare/", standards.standard_compare, name="standard_compare"
    ),
    path(
        "standards/<int:standard_id>/accreditations/",
        standards.accreditation_list,
        name="accreditation_list",
    ),
    path(
        "standards/<int:standard_id>/accreditations/new/",
        standards.accreditation_new,
        name="accreditation_new",
    ),
    path(
        "standards/accreditations/<int:accreditation_id>/",
        standards.accreditation_detail,
        name="accreditation_detail",
    ),
]
