"""Which email channel a recipient address reaches: its `address`, an alias, or address+tag@.

Plus-addressing is how reply tokens travel ("support+c42-…@shop.example" reaches the channel of
"support@shop.example"). Addresses compare without case: mail servers differ in what they keep.
"""

from townsquare.inbox.models import Channel, ChannelKind


def normalized(address: str) -> str:
    return (address or "").strip().strip("<>").strip().lower()


def base_address(address: str) -> str:
    """ "support+anything@shop.example" -> "support@shop.example"."""
    address = normalized(address)
    if "@" not in address:
        return address
    local, domain = address.rsplit("@", 1)
    return f"{local.split('+', 1)[0]}@{domain}"


def channel_addresses(channel: Channel) -> list[str]:
    return addresses_in(channel.settings or {})


def addresses_in(settings: dict) -> list[str]:
    """An email channel's settings' `address` and `aliases`, normalised."""
    aliases = settings.get("aliases") or []
    if isinstance(aliases, str):
        aliases = aliases.replace(",", " ").split()
    found = [normalized(settings.get("address") or ""), *(normalized(str(a)) for a in aliases)]
    return [address for address in found if "@" in address]


def address_book() -> dict[str, Channel]:
    """Every address of every active email channel -> its channel."""
    book: dict[str, Channel] = {}
    for channel in Channel.objects.filter(kind=ChannelKind.EMAIL, is_active=True).order_by("pk"):
        for address in channel_addresses(channel):
            book.setdefault(address, channel)
    return book


def channel_for(address: str, book: dict[str, Channel] | None = None) -> Channel | None:
    """The channel mail to `address` is delivered to, or None (an unknown recipient)."""
    book = address_book() if book is None else book
    return book.get(normalized(address)) or book.get(base_address(address))
