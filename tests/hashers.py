from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Still argon2, with costs low enough for a test suite that creates many users."""

    time_cost = 1
    memory_cost = 64
    parallelism = 1
