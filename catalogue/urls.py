from django.urls import path

from . import views

urlpatterns = [
    path("catalogue/", views.catalogue_index, name="catalogue_index"),
    path("catalogue/skills/<slug:slug>/", views.catalogue_skill, name="catalogue_skill"),
    path("catalogue/roles/<slug:slug>/", views.catalogue_role, name="catalogue_role"),
    path("catalogue/roles/<slug:slug>/<slug:seniority>/", views.catalogue_target, name="catalogue_target"),
    path("questions/<str:key>/report/", views.question_report, name="question_report"),
    path("catalogue/map/", views.catalogue_map, name="catalogue_map"),
]
