from .certificates import Certificate, IssuanceBatch
from .keys import IssuerKey
from .verification import Verification, VerificationDailyCount

__all__ = ["Certificate", "IssuanceBatch", "IssuerKey", "Verification", "VerificationDailyCount"]
