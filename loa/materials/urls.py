from django.urls import path

from . import feeds, views

app_name = "materials"
urlpatterns = [
    path("ke-hoach/<int:pk>/", views.library, name="library"),
    path("<int:pk>/", views.detail, name="detail"),
    path("ke-hoach/<int:pk>/doi-tuong/", views.audiences, name="audiences"),
    path("<int:pk>/bang-tin.pdf", views.board_pdf, name="board_pdf"),
    path("dang/<int:pk>/tep", views.variant_file, name="variant_file"),
    path("kich-ban/<int:pk>.<str:fmt>", views.script_file, name="script_file"),
    path("cong-khai/ke-hoach/<int:pk>/", feeds.public_list, name="public_list"),
    path("cong-khai/ke-hoach/<int:pk>/rss/", feeds.MaterialsFeed(), name="rss"),
    path("cong-khai/ke-hoach/<int:pk>/atom/", feeds.MaterialsAtomFeed(), name="atom"),
    path("cong-khai/<int:pk>/", feeds.public_detail, name="public_detail"),
]
