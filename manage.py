#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    from cms.bootstrap import exit_on_config_error, load_env_file

    load_env_file()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

    with exit_on_config_error():
        from django.core.management import execute_from_command_line

        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
