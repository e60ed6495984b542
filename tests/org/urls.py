"""The project's URLs plus the org pages, as loa/urls.py will mount them."""

from django.urls import include, path

from loa.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *[p for p in project_urlpatterns if getattr(p, "namespace", None) != "org"],
    path("don-vi/", include("loa.org.urls")),
]
