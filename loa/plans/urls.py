from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("nhap/", views.plan_upload, name="upload"),
    path("nhap/<int:pk>/", views.import_job, name="import_job"),
    path("nhap/<int:pk>/trang-thai/", views.import_job_status, name="import_job_status"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/ky-bao-cao/", views.plan_period, name="period"),
]
