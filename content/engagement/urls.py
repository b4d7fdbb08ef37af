from django.urls import path

from content.engagement import views

app_name = "engagement"

urlpatterns = [
    path("views/", views.record_view, name="record-view"),
    path("comments/form/", views.comment_form, name="comment-form"),
    path("comments/delete/<str:token>/", views.delete_comment, name="delete-comment"),
]
