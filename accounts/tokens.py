"""One-time links that set a password. A link stops working once the password is set (the
token is bound to the password hash and the last login) or when it is too old."""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class PasswordLinkTokenGenerator(PasswordResetTokenGenerator):
    """A reset link sent by a Beheerder: valid PASSWORD_RESET_TIMEOUT seconds."""

    key_salt = "accounts.tokens.PasswordLinkTokenGenerator"

    def _max_age(self) -> int:
        return settings.PASSWORD_RESET_TIMEOUT

    def check_token(self, user, token):
        if not (user and token) or not isinstance(token, str) or "-" not in token:
            return False
        try:
            timestamp = base36_to_int(token.split("-", 1)[0])
        except ValueError:
            return False
        if self._num_seconds(self._now()) - timestamp > self._max_age():
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


class InvitationTokenGenerator(PasswordLinkTokenGenerator):
    """The link in an invitation: valid INVITATION_TIMEOUT seconds."""

    key_salt = "accounts.tokens.InvitationTokenGenerator"

    def _max_age(self) -> int:
        return settings.INVITATION_TIMEOUT


password_link_tokens = PasswordLinkTokenGenerator()
invitation_tokens = InvitationTokenGenerator()
