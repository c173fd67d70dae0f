"""Top-level URLconf: the site pages, then each app's pages."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path, register_converter

from api.v1 import api as api_v1

from . import converters, samples, views

register_converter(converters.IdConverter, "id")
register_converter(converters.KeyConverter, "key")

# Staff log in through the site's own log-in page (its `next` brings them back to the admin), so
# the failed-login lock-out counts every way in; the admin's form would check passwords uncounted.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("readyz", views.readyz, name="readyz"),
    path("privacy/", views.privacy, name="privacy"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("sample/result/", samples.sample_result, name="sample_result"),
    path("sample/plan/", samples.sample_plan, name="sample_plan"),
    path("sample/progress/", samples.sample_progress, name="sample_progress"),
    path("admin/", admin.site.urls),
    path("api/v1/", api_v1.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("catalogue.urls")),
    path("", include("assessments.urls")),
    path("", include("roadmap.urls")),
    path("", include("api.urls")),
]

handler404 = "careerpath.views.page_not_found"
handler500 = "careerpath.views.server_error"
