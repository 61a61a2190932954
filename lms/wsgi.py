import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
application = get_wsgi_application()

# At boot rather than on the first request (lms/warmup.py); WEB_WARM_UP=0 skips it.
if os.environ.get("WEB_WARM_UP", "1") != "0":
    from lms.warmup import warm_up

    warm_up(application)
