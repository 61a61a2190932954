# Being written: public verification pages, JWKS, status list.
from django.http import HttpResponse


def _todo(request, **kwargs):
    return HttpResponse(status=501)


verify_search = verify = jwks = status_list = issuer_profile = _todo
