"""``AsyncIdentityManager``: the asyncio form of the identity manager."""

from __future__ import annotations

from types import TracebackType
from typing import Any

from . import _door
from ._answers import TokenAnswer, token_answer
from ._async_client import AsyncPublisherClient
from ._completion import submit
from ._dii import dii_input
from ._identity import Identity, IdentityStatus
from ._listener import StatusListener
from ._manager import ManagerBase, identity_of
from ._results import GenerateResult, generate_result
from ._store import IdentityStore

__all__ = ["AsyncIdentityManager"]


class AsyncIdentityManager(ManagerBase):
    """The asyncio form of :class:`IdentityManager`: same arguments and guarantees, every
    method awaited.

    Requests run on the SDK's own threads, not on the event loop's, and so do calls into a
    Python store: a slow store never blocks the loop.

    >>> manager = AsyncIdentityManager(async_client, store)  # doctest: +SKIP
    >>> answer = await manager.advertising_token(user_id)  # doctest: +SKIP
    """

    __slots__ = ()

    def __init__(
        self,
        client: AsyncPublisherClient,
        store: IdentityStore | None = None,
        *,
        clock: Any = None,
        listener: StatusListener | None = None,
    ) -> None:
        super().__init__(client, store, clock=clock, listener=listener)

    async def __aenter__(self) -> AsyncIdentityManager:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    async def establish(
        self,
        user: str,
        *,
        email: str | None = None,
        phone: str | None = None,
        email_hash: str | None = None,
        phone_hash: str | None = None,
        tcf_consent_string: str | None = None,
        send_unhashed: bool = False,
    ) -> GenerateResult:
        """See :meth:`IdentityManager.establish`."""
        dii = dii_input(email, phone, email_hash, phone_hash, send_unhashed)
        return generate_result(
            await submit(_door.MANAGER_ESTABLISH, self._target, user, dii, tcf_consent_string)
        )

    async def advertising_token(self, user: str) -> TokenAnswer:
        """See :meth:`IdentityManager.advertising_token`."""
        return token_answer(await submit(_door.MANAGER_ADVERTISING_TOKEN, self._target, user))

    async def logout(self, user: str) -> None:
        """See :meth:`IdentityManager.logout`."""
        await submit(_door.MANAGER_LOGOUT, self._target, user)

    async def status(self, user: str) -> IdentityStatus:
        """See :meth:`IdentityManager.status`."""
        return IdentityStatus._from_native(await submit(_door.MANAGER_STATUS, self._target, user))

    async def identity(self, user: str) -> Identity | None:
        """See :meth:`IdentityManager.identity`."""
        return identity_of(await submit(_door.MANAGER_IDENTITY, self._target, user))
