from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from .login_limit import login_failure_count
        from .sessions import staff_session_start

        # Every failed login (wrong password, or right password and wrong code) counts against the
        # client's address, whatever the username.
        user_login_failed.connect(login_failure_count, dispatch_uid="accounts.login_failure_count")
        user_logged_in.connect(staff_session_start, dispatch_uid="accounts.staff_session_start")
