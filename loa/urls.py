from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from loa.api import api
from loa.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("ke-hoach/", include("loa.plans.urls")),
    path("don-vi/", include("loa.org.urls")),
    path("danh-muc/", include("loa.accounts.directory")),
    path("nhat-ky/", include("loa.accounts.audit_views")),
    path("lich/", include("loa.activities.urging_urls")),
    path("nhiem-vu/", include("loa.activities.urls")),
    path("bao-cao/", include("loa.reports.urls")),
    path("lang-nghe/", include("loa.listening.urls")),
    path("y-kien/", include("loa.feedback.urls")),
    path("tai-lieu/", include("loa.materials.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
