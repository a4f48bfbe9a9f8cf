"""The roles a person may hold (PRODUCT.md §2); several at once."""

from enum import StrEnum


class Role(StrEnum):
    """A capability set granted to an account."""

    EMPLOYEE = "employee"
    SUPERVISOR = "supervisor"
    MENTOR = "mentor"
    COORDINATOR = "coordinator"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        """The role's name as shown to people."""
        return self.value.capitalize()
