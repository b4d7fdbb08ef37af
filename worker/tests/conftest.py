from webhooks.tests.conftest import *  # noqa: F403
