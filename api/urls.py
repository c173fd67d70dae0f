from django.urls import path

from . import views

urlpatterns = [
    path("profile/tokens/", views.tokens, name="api_tokens"),
    path("profile/tokens/<id:pk>/revoke/", views.token_revoke, name="api_token_revoke"),
]
