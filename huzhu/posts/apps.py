from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "huzhu.posts"
    label = "posts"

    def ready(self) -> None:
        # Inside ready(): the models this imports need the app registry loaded.
        from huzhu import public_cache
        from huzhu.accounts import personal_data
        from huzhu.posts.models import Post
        from huzhu.posts.personal_data import PART

        personal_data.register(PART)

        # A deleted post leaves shared answers at once (a hidden one: services.set_hidden).
        public_cache.connect_signals(Post)
