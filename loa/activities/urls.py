from django.urls import path

from . import views

app_name = "activities"
urlpatterns = [
    path("", views.my_tasks, name="my_tasks"),
    path("<int:pk>/", views.assignment_detail, name="assignment"),
    path("<int:pk>/hoan-thanh/", views.assignment_complete, name="assignment_complete"),
    path("<int:pk>/mo-lai/", views.assignment_reopen, name="assignment_reopen"),
    path("<int:pk>/trao-doi/", views.assignment_comment, name="assignment_comment"),
    path("<int:pk>/hoat-dong/moi/", views.activity_new, name="activity_new"),
    path("<int:pk>/goi-y-chu-de/", views.theme_suggestions, name="theme_suggestions"),
    path("tien-do/", views.office_dashboard, name="office_dashboard"),
    path("tien-do/ke-hoach/<int:pk>/", views.plan_dashboard, name="plan_dashboard"),
    path(
        "tien-do/ke-hoach/<int:pk>/xep-hang.<str:fmt>", views.plan_ranking_export, name="plan_ranking_export"
    ),
    path("hoat-dong/", views.activity_list, name="activity_list"),
    path("hoat-dong/nhap-tep/", views.bulk_upload, name="bulk_upload"),
    path("hoat-dong/nhap-tep/<int:pk>/", views.bulk_job, name="bulk_job"),
    path("hoat-dong/nhap-tep/<int:pk>/trang-thai/", views.bulk_job_status, name="bulk_job_status"),
    path("hoat-dong/nhap-tep/<int:pk>/loi.<str:fmt>", views.bulk_errors, name="bulk_errors"),
    path("hoat-dong/tep-mau.<str:fmt>", views.bulk_template, name="bulk_template"),
]
