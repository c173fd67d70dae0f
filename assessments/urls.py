from django.urls import path

from . import views

urlpatterns = [
    path("assessment/", views.assessment_start, name="assessment_start"),
    path("assessment/<id:pk>/step/<id:index>/", views.assessment_step, name="assessment_step"),
    path("assessment/<id:pk>/discard/", views.assessment_discard, name="assessment_discard"),
    path("assessment/<id:pk>/submit/", views.assessment_submit, name="assessment_submit"),
    path("results/<id:pk>/", views.result_detail, name="result_detail"),
    path("how-we-score/", views.how_we_score, name="how_we_score"),
]
