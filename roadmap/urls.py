from django.urls import path

from . import views

urlpatterns = [
    path("roadmap/", views.roadmap_view, name="roadmap"),
    path("roadmap/step/<key:key>/", views.roadmap_step, name="roadmap_step"),
    path("roadmap/step/<key:key>/log/", views.roadmap_study_log, name="roadmap_study_log"),
    path("roadmap/replan/", views.roadmap_replan, name="roadmap_replan"),
    path("roadmap/refresh/", views.roadmap_refresh, name="roadmap_refresh"),
    path("roadmap/milestones/", views.roadmap_milestones, name="roadmap_milestones"),
    path("roadmap/export.md", views.roadmap_markdown, name="roadmap_markdown"),
    path("roadmap/export.ics", views.roadmap_icalendar, name="roadmap_icalendar"),
    path("progress/", views.progress_view, name="progress"),
    path("roadmap/map/", views.roadmap_map, name="roadmap_map"),
]
