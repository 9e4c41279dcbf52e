from tests.auth.conftest import app  # noqa: F401  (keep setup data when a request fails)
