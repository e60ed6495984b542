"""The ``loa`` command: ``loa parse`` runs the pure parser; everything else is a manage.py command.

``loa import-plan FILE`` is ``manage.py import_plan FILE``; ``loa runserver`` is ``manage.py runserver``.
"""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "parse":
        from loa.docparse.cli import main as parse_main

        return parse_main(args[1:])
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loa.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["loa", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
