from tests.connections.helpers import app  # noqa: F401  (commit setup before each request)
