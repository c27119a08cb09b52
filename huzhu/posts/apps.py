from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "huzhu.posts"
    label = "posts"

    def ready(self) -> None:
        from huzhu import public_cache
        from huzhu.posts.models import Post

        # A post hidden by moderation or deleted leaves shared answers at once.
        public_cache.connect_signals(Post)
