"""Test settings: the real settings, with a fast password hasher."""

import tempfile
from pathlib import Path

from liaison.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Uploaded photos go to a throw-away folder, never into the checkout.
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="liaison-test-private-"))
STORAGES = {**STORAGES, "private": {**STORAGES["private"], "OPTIONS": {"location": PRIVATE_MEDIA_ROOT}}}  # noqa: F405
