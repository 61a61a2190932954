"""One password hash per login attempt, right or wrong, known account or not.

Django's ModelBackend and allauth's AuthenticationBackend (a ModelBackend too) were both
listed, and Django's authenticate() asks every backend in turn until one returns a user:
a wrong password for a username was hashed by each (ModelBackend's check, then allauth's),
and an unknown username too (each backend hashes a dummy password against timing attacks).
The deliberately slow hash is what a guessing storm costs the site, so that was twice the
cost for nothing.

allauth's backend alone also checked a known email address twice (its login form sends
the address as the email and, in case it is a username, as the username; the backend
tries the email for both), so a wrong password for a known address cost two hashes and
for an unknown one a single dummy hash: a difference in time that told which addresses
have an account.

AccountBackend, listed first, is allauth's backend (username or email) that checks the
password once per account and ends the search when it has checked one: Django's
authenticate() stops at PermissionDenied and reports the failure (user_login_failed) as
for any wrong password. The two backends listed after it still load the users of
sessions that were signed in through them.
"""

from allauth.account.auth_backends import AuthenticationBackend
from django.core.exceptions import PermissionDenied


class AccountBackend(AuthenticationBackend):
    def authenticate(self, request, **credentials):
        self._checked = {}
        user = super().authenticate(request, **credentials)
        if user is None and credentials.get("password"):
            # A password was checked (or the dummy hash run): no other backend hashes it again.
            raise PermissionDenied
        return user

    def _check_password(self, user, password):
        # allauth may reach the same account twice in one attempt: its answer is kept.
        if user is None:
            return super()._check_password(user, password)
        if user.pk not in self._checked:
            self._checked[user.pk] = super()._check_password(user, password)
        return self._checked[user.pk]
