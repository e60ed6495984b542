from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("ke-hoach/<int:pk>.docx", views.plan_report, name="plan_report"),
]
