from django.urls import path

from . import contest_views, feeds, subscription_views, views

app_name = "materials"
urlpatterns = [
    path("ke-hoach/<int:pk>/", views.library, name="library"),
    path("<int:pk>/", views.detail, name="detail"),
    path("ke-hoach/<int:pk>/doi-tuong/", views.audiences, name="audiences"),
    path("ke-hoach/<int:pk>/cau-hoi/", views.question_bank, name="questions"),
    path("<int:pk>/bang-tin.pdf", views.board_pdf, name="board_pdf"),
    path("dang/<int:pk>/tep", views.variant_file, name="variant_file"),
    path("kich-ban/<int:pk>.<str:fmt>", views.script_file, name="script_file"),
    path("cong-khai/ke-hoach/<int:pk>/", feeds.public_list, name="public_list"),
    path("cong-khai/ke-hoach/<int:pk>/rss/", feeds.MaterialsFeed(), name="rss"),
    path("cong-khai/ke-hoach/<int:pk>/atom/", feeds.MaterialsAtomFeed(), name="atom"),
    path("cong-khai/<int:pk>/", feeds.public_detail, name="public_detail"),
    path("cong-khai/ke-hoach/<int:pk>/dang-ky/", subscription_views.subscribe, name="subscribe"),
    path("thi/<int:pk>/", contest_views.start, name="contest_start"),
    path("thi/<int:pk>/lam-bai/", contest_views.attempt, name="contest_attempt"),
    path("thi/<int:pk>/ket-qua/", contest_views.results, name="contest_results"),
    path("thi/<int:pk>/ket-qua.<str:fmt>", contest_views.results_file, name="contest_results_file"),
    path("thi/<int:pk>/thong-ke/", views.contest_statistics, name="contest_statistics"),
    path("dang-ky/xac-nhan/<str:token>/", subscription_views.confirm, name="sub_confirm"),
    path("dang-ky/quan-ly/<str:token>/", subscription_views.manage, name="sub_manage"),
    path("dang-ky/huy/<str:token>/", subscription_views.unsubscribe, name="sub_unsubscribe"),
]
