import os
import sys

from django.core.wsgi import get_wsgi_application

from zhaoshang.core.env import ConfigError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhaoshang.settings")

try:
    application = get_wsgi_application()
except ConfigError as exc:
    sys.stderr.write(f"configuration error: {exc}\n")
    sys.exit(2)
