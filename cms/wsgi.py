import os

from django.core.wsgi import get_wsgi_application

from cms.warmup import warm_up

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

application = get_wsgi_application()
warm_up()
