from content.trainer_hooks import *  # noqa
