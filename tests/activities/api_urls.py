from django.urls import path

from loa.api import api

urlpatterns = [path("api/", api.urls)]
