from django.urls import path

from . import urging_views

app_name = "urging"
urlpatterns = [
    path("don-vi/<int:unit_id>.ics", urging_views.unit_calendar, name="unit_calendar"),
    path("nhiem-vu/<int:assignment_id>/zalo/", urging_views.zalo_text, name="zalo_text"),
    path("nhiem-vu/<int:assignment_id>/nhac-viec/", urging_views.remind, name="remind"),
]
