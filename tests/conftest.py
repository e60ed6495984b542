import os
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("LOA_SHARED_DIR", REPO.parent / "shared"))
SAMPLES = REPO / "loa" / "samples" / "plans"

hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, max_examples=200)
hypothesis_settings.register_profile("dev", deadline=None, max_examples=200)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture
def admin_docs_dir() -> Path:
    path = Path(os.environ.get("LOA_ADMIN_DOCS_DIR", SHARED / "data" / "vn_admin_docs"))
    if not path.is_dir():
        pytest.skip(f"real documents not found at {path}")
    return path


def pytest_configure(config):
    # Tests create many accounts: hash their passwords with a fast (insecure) hasher. Production
    # keeps Django's default PBKDF2; nothing here checks the algorithm.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
