from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.my_reports, name="mine"),
    path("ke-hoach/<int:pk>.docx", views.plan_report, name="plan_report"),
    path("ke-hoach/<int:pk>/mo-dot/", views.round_open, name="round_open"),
    path("dot/<int:pk>/", views.round_detail, name="round"),
    path("dot/<int:pk>/bao-cao.docx", views.round_report, name="round_report"),
    path("dot/<int:pk>/<str:action>/", views.round_action, name="round_action"),
    path("phan/<int:pk>/", views.section_edit, name="section"),
    path("ke-hoach/<int:pk>/soan-ke-hoach/", views.draft_new, name="draft_new"),
    path("du-thao/<int:pk>/", views.draft_edit, name="draft"),
    path("ke-hoach/<int:pk>/tep/", views.report_file_new, name="file_new"),
    path("tep/<int:pk>/", views.report_file, name="file"),
    path("tep/<int:pk>/trang-thai/", views.report_file_status, name="file_status"),
    path("tep/<int:pk>/tai-ve/", views.report_file_download, name="file_download"),
    path("du-thao/<int:pk>.docx", views.draft_docx, name="draft_docx"),
    path("du-thao/<int:pk>/ban-hanh/", views.draft_issue, name="draft_issue"),
]
