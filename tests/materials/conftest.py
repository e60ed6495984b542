from tests.activities.conftest import world  # noqa: F401
