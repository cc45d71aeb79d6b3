"""``AsyncPublisherClient``: the asyncio client of the EUID operator."""

from __future__ import annotations

from types import TracebackType

from . import _door
from ._client import ClientBase
from ._completion import submit
from ._dii import dii_input
from ._identity import Identity
from ._results import GenerateResult, RefreshResult, generate_result, refresh_result

__all__ = ["AsyncPublisherClient"]


class AsyncPublisherClient(ClientBase):
    """The asyncio form of :class:`PublisherClient`: same arguments, same methods, awaited.

    Many calls can be in flight at once; they run on the SDK's own runtime, not on the event
    loop's thread, which only collects their results. The loop must support ``add_reader``
    (the default loops on Linux and macOS, uvloop; not Windows' proactor loop).

    >>> async with AsyncPublisherClient.integration(KEY, SECRET) as client:  # doctest: +SKIP
    ...     result = await client.generate_token(email="user@example.com")
    """

    __slots__ = ()

    async def __aenter__(self) -> AsyncPublisherClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    async def generate_token(
        self,
        *,
        email: str | None = None,
        phone: str | None = None,
        email_hash: str | None = None,
        phone_hash: str | None = None,
        tcf_consent_string: str | None = None,
        send_unhashed: bool = False,
    ) -> GenerateResult:
        """See :meth:`PublisherClient.generate_token`."""
        dii = dii_input(email, phone, email_hash, phone_hash, send_unhashed)
        return generate_result(
            await submit(_door.CLIENT_GENERATE, self._target, dii, tcf_consent_string)
        )

    async def refresh_token(self, identity: Identity) -> RefreshResult:
        """See :meth:`PublisherClient.refresh_token`."""
        return refresh_result(await submit(_door.CLIENT_REFRESH, self._target, identity._record))

    async def validate_token(
        self,
        advertising_token: str,
        *,
        email: str | None = None,
        phone: str | None = None,
        email_hash: str | None = None,
        phone_hash: str | None = None,
    ) -> bool:
        """See :meth:`PublisherClient.validate_token`."""
        dii = dii_input(email, phone, email_hash, phone_hash, False)
        return bool(await submit(_door.CLIENT_VALIDATE, self._target, advertising_token, dii))
