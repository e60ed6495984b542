from django.urls import path

from . import views

app_name = "listening"
urlpatterns = [
    path("", views.index, name="index"),
    path("mau.csv", views.sample, name="sample"),
    path("ke-hoach/<int:pk>/", views.desk, name="desk"),
    path("ke-hoach/<int:pk>/muc/", views.items, name="items"),
    path("ke-hoach/<int:pk>/chu-de/", views.topic, name="topic"),
    path("diem-nong/<int:pk>/", views.surge, name="surge"),
    path("muc/<int:pk>/xac-minh/", views.claim_open, name="claim_open"),
    path("luan-dieu/<int:pk>/", views.claim, name="claim"),
]
