import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
application = get_wsgi_application()

# At boot rather than on the first request, under gunicorn (lms/warmup.py: WEB_WARM_UP).
from lms.warmup import wanted, warm_up  # noqa: E402  (after the settings module is named)

if wanted(os.environ):
    warm_up(application)
