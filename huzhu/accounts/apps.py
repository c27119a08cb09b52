from django.apps import AppConfig
from django.core import checks


class AccountsConfig(AppConfig):
    name = "huzhu.accounts"
    label = "accounts"

    def ready(self) -> None:
        from huzhu.accounts.delivery import check_gateways
        from huzhu.accounts.outbox_retention import check_outbox
        from huzhu.accounts.two_factor import check_staff_two_factor

        checks.register(check_outbox, checks.Tags.security, deploy=True)
        checks.register(check_staff_two_factor, checks.Tags.security, deploy=True)
        checks.register(check_gateways, deploy=True)
