from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [
    path("", views.public_index, name="public_index"),
    path("ke-hoach/<int:pk>/", views.ask_plan, name="ask_plan"),
    path("ke-hoach/<int:pk>/hoi-dap/", views.faq, name="faq"),
    path("don-vi/<int:pk>/", views.ask_unit, name="ask_unit"),
    path("doi-thoai/<int:pk>/", views.dialogue_public, name="dialogue_public"),
    path("da-gui/", views.sent, name="sent"),
    path("tra-cuu/", views.lookup, name="lookup"),
    path("xu-ly/", views.inbox, name="inbox"),
    path("xu-ly/y-kien.xlsx", views.export, name="export"),
    path("xu-ly/<int:pk>/", views.detail, name="detail"),
    path("xu-ly/<int:pk>/tep/", views.attachment, name="attachment"),
    path("xu-ly/quy-tac/", views.rules, name="rules"),
    path("xu-ly/doi-thoai/", views.dialogues, name="dialogues"),
    path("xu-ly/doi-thoai/<int:pk>/", views.dialogue, name="dialogue"),
]
