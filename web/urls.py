from django.urls import path

from web import comments, directory, preview, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("blog/", views.article_list, name="article_list"),
    path("blog/<slug:slug>/", comments.article, name="article"),
    path("compare/<slug:slug>/", views.comparison_table, name="table"),
    path("trainers/", directory.trainer_directory, name="directory"),
    path("trainers/<slug:slug>/", views.trainer, name="trainer"),
    path("search/", views.search, name="search"),
    path("search/suggestions", views.search_suggestions, name="suggestions"),
    path("preview", preview.preview, name="preview"),
]
