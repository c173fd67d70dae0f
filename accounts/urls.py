from django.urls import path

from . import views

urlpatterns = [
    path("profile/", views.profile_edit, name="profile"),
    path("welcome/", views.onboarding, name="onboarding"),
    path("welcome/choices/", views.onboarding_choices, name="onboarding_choices"),
    path("account/data.json", views.account_data, name="account_data"),
    path("account/delete/", views.account_delete, name="account_delete"),
    path("email/weekly/stop/<str:token>/", views.weekly_email_stop, name="weekly_email_stop"),
    # The header's language switch: Django's set_language, which also saves a logged-in person's choice.
    path("i18n/setlang/", views.language_set, name="set_language"),
]
