from django.urls import path

from . import views

app_name = "org"

urlpatterns = [
    path("xac-nhan/", views.unit_confirm, name="unit_confirm"),
    path("<int:pk>/xac-nhan/", views.unit_confirm_one, name="unit_confirm_one"),
    path("<int:pk>/gop/", views.unit_merge, name="unit_merge"),
]
