from lantern.accounts.models.institutions import Institution, InstitutionKind
from lantern.accounts.models.units import Unit
from lantern.accounts.models.users import ApiToken, LoginAttempt, RecoveryCode, User, UserRole

__all__ = ["ApiToken", "Institution", "InstitutionKind", "LoginAttempt", "RecoveryCode", "Unit", "User", "UserRole"]
