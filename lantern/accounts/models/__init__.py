from lantern.accounts.models.units import Unit
from lantern.accounts.models.users import ApiToken, LoginAttempt, RecoveryCode, User, UserRole

__all__ = ["ApiToken", "LoginAttempt", "RecoveryCode", "Unit", "User", "UserRole"]
