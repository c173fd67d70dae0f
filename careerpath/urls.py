"""Top-level URLconf."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("assessments.urls")),
]

handler404 = "assessments.views.page_not_found"
handler500 = "assessments.views.server_error"
