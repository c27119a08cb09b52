from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "huzhu.posts"
    label = "posts"
