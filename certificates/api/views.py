# Being written: verification and certificate API.
from rest_framework.views import APIView

VerifyBulkView = VerifyFileView = VerifyOneView = MyCertificatesView = RevokeView = APIView
