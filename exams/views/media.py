"""Question images, served to those who may see the bank's questions (see access.py)."""

from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .. import access
from ..models import QuestionMedia


@require_safe
def media_file(request, token: str, name: str):
    """One image, inline. Anyone who may not see it gets the same 404 as for no image."""
    media = QuestionMedia.objects.select_related("bank").filter(token=token, name=name).first()
    if media is None or not access.can_view_media(request.user, media):
        raise Http404(_("No such image."))
    try:
        handle = media.file.open("rb")
    except (OSError, SuspiciousFileOperation) as exc:
        raise Http404(_("No such image.")) from exc
    response = FileResponse(handle, content_type=media.content_type)
    response["Content-Length"] = str(media.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # Private: the address is unguessable but access is per user, so no shared cache.
    response["Cache-Control"] = "private, max-age=3600"
    return response
