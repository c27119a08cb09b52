from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "huzhu.posts"
    label = "posts"

    def ready(self) -> None:
        # Inside ready(): the models this imports need the app registry loaded.
        from huzhu.accounts import personal_data
        from huzhu.posts.personal_data import PART

        personal_data.register(PART)
