"""The site's password hasher: Argon2id at OWASP's recommended minimum.

Django's own Argon2 parameters take 100 MiB and about 110 ms a sign-in on a 2-core server,
and the PBKDF2 default (1,000,000 iterations) about 200 ms of a core: under load, signing in
was the slowest request of the site. OWASP's Password Storage Cheat Sheet gives m = 19 MiB,
t = 2, p = 1 as an Argon2id configuration of equal strength: about 23 ms here. Subclassing to
set them is how Django's documentation says to change them; the hashes are standard
``argon2$argon2id$...``, and Django rehashes a password on sign-in when these change.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
