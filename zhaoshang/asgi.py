import os
import sys

from django.core.asgi import get_asgi_application

from zhaoshang.core.env import ConfigError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhaoshang.settings")

try:
    application = get_asgi_application()
except ConfigError as exc:
    sys.stderr.write(f"configuration error: {exc}\n")
    sys.exit(2)
