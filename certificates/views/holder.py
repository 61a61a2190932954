# Being written: holder and issuer pages.
from django.http import HttpResponse


def _todo(request, **kwargs):
    return HttpResponse(status=501)


my_certificates = download_pdf = download_credential = sharing = change_status = _todo
template_preview = batch_issue = batch_progress = _todo
