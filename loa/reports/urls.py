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
]
