"""Two-factor sign-in (django-otp: an authenticator app's TOTP codes, and recovery codes).

Required for everyone with admin access (officers, the Chair, administrators); board members
and councillors may turn it on for themselves. A session signed in with a password alone is
held at the verification (or enrolment) step by ``middleware.TwoFactorMiddleware`` until the
second factor is given, on every address of the site, the admin and its API included.
"""
