from django.urls import path, register_converter

from . import views


class IdConverter:
    """A database id: digits that fit a 64-bit integer (a longer number is a 404, not an overflow)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("profile/", views.profile_edit, name="profile"),
    path("assessment/", views.assessment_start, name="assessment_start"),
    path("assessment/<id:pk>/step/<id:index>/", views.assessment_step, name="assessment_step"),
    path("assessment/<id:pk>/discard/", views.assessment_discard, name="assessment_discard"),
    path("assessment/<id:pk>/submit/", views.assessment_submit, name="assessment_submit"),
    path("results/<id:pk>/", views.result_detail, name="result_detail"),
]

urlpatterns += [
    path("roadmap/", views.roadmap_view, name="roadmap"),
    path("roadmap/step/<str:key>/", views.roadmap_step, name="roadmap_step"),
    path("roadmap/replan/", views.roadmap_replan, name="roadmap_replan"),
    path("roadmap/refresh/", views.roadmap_refresh, name="roadmap_refresh"),
    path("roadmap/milestones/", views.roadmap_milestones, name="roadmap_milestones"),
    path("roadmap/export.md", views.roadmap_markdown, name="roadmap_markdown"),
    path("roadmap/export.ics", views.roadmap_icalendar, name="roadmap_icalendar"),
]

urlpatterns += [
    path("how-we-score/", views.how_we_score, name="how_we_score"),
    path("catalogue/", views.catalogue_index, name="catalogue_index"),
    path("catalogue/skills/<slug:slug>/", views.catalogue_skill, name="catalogue_skill"),
    path("catalogue/roles/<slug:slug>/", views.catalogue_role, name="catalogue_role"),
]

urlpatterns += [
    path("progress/", views.progress_view, name="progress"),
]

urlpatterns += [
    path("account/data.json", views.account_data, name="account_data"),
    path("account/delete/", views.account_delete, name="account_delete"),
]
