from django.apps import AppConfig
from django.core import checks

from huzhu.sqlite import check_sqlite


class SafetyConfig(AppConfig):
    name = "huzhu.safety"
    label = "safety"

    def ready(self) -> None:
        # Inside ready(): the models these import need the app registry loaded.
        from huzhu.accounts import hooks, personal_data
        from huzhu.exchanges import sentences
        from huzhu.safety.fraud import record_signup_address
        from huzhu.safety.personal_data import PART
        from huzhu.safety.sanctions import refuse_if_restricted, sanction_notice

        checks.register(check_sqlite)
        personal_data.register(PART)
        sentences.register_notice(sentences.Kind.SANCTION, sanction_notice)
        hooks.on_signed_up(record_signup_address)
        hooks.on_signing_in(refuse_if_restricted)
