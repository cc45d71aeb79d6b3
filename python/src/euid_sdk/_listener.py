"""``StatusListener``: hears the identity manager's status changes."""

from __future__ import annotations

import abc

from ._identity import IdentityStatus

__all__ = ["StatusListener"]


class StatusListener(abc.ABC):
    """Hears every identity status change the manager causes, to log or count them.

    Called on the SDK's threads (or the caller's, for ``logout``); keep it quick. An exception
    raised here is logged on the ``euid_sdk`` logger (its type and message, the user key taken
    out) and otherwise ignored.

    >>> class Counter(StatusListener):  # doctest: +SKIP
    ...     def status_changed(self, user, old, new):
    ...         metrics.increment(f"euid.{new.name.lower()}")
    """

    @abc.abstractmethod
    def status_changed(self, user: str, old: IdentityStatus, new: IdentityStatus) -> None:
        """``user``'s identity went from ``old`` to ``new`` (never equal).

        Args:
            user: The publisher's key for the user.
            old: The status before.
            new: The status after.
        """
