import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partrack.settings")
application = get_wsgi_application()

# What starting made (modules, models, URL patterns, settings) lives as long as the worker.
# Frozen, it is left out of the garbage collector's full passes, which would otherwise walk all
# of it in the middle of some request: 90–150 ms measured at the national size (bench/pages.py).
gc.freeze()
