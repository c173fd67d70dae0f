"""Top-level URLconf: the site pages, then each app's pages."""

from django.contrib import admin
from django.urls import include, path, register_converter

from . import converters, views

register_converter(converters.IdConverter, "id")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("catalogue.urls")),
    path("", include("assessments.urls")),
    path("", include("roadmap.urls")),
]

handler404 = "careerpath.views.page_not_found"
handler500 = "careerpath.views.server_error"
