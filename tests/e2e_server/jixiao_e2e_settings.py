"""The settings of the browser tests' server (`jixiao serve --demo` via DJANGO_SETTINGS_MODULE): the
production settings, except that passwords are hashed quickly, as the other web tests hash them.

PBKDF2's million rounds (slow on purpose) cost ~0.6 CPU-seconds per demo user at load and per login,
and the browser tests log in dozens of times; tests/web/test_security.py checks the production hasher,
and tests/cli/test_web_cmds.py runs `jixiao serve --demo` with the production settings."""

from jixiao.web.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
