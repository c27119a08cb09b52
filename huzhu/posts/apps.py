from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "huzhu.posts"
    label = "posts"

    def ready(self) -> None:
        from huzhu import public_cache
        from huzhu.posts.models import Post

        # A deleted post leaves shared answers at once (a hidden one: services.set_hidden).
        public_cache.connect_signals(Post)
