"""The login stage that asks for the second factor."""

from allauth.mfa.stages import AuthenticateStage


class SecondFactorStage(AuthenticateStage):
    """allauth's second-factor stage, except after single sign-on: the municipality's
    identity provider asked for its own factor, so the user is not asked twice."""

    def _should_handle(self, request) -> bool:
        if (self.login.signal_kwargs or {}).get("sociallogin") is not None:
            return False
        return super()._should_handle(request)
