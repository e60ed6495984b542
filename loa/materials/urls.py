from django.urls import path

from . import views

app_name = "materials"
urlpatterns = [
    path("ke-hoach/<int:pk>/", views.library, name="library"),
    path("<int:pk>/", views.detail, name="detail"),
    path("kich-ban/<int:pk>.<str:fmt>", views.script_file, name="script_file"),
]
