"""The inbox channel a space's questions arrive through: one of kind "community" per space."""

from django.db import IntegrityError, transaction

from townsquare.community.models import Space
from townsquare.events.log import record
from townsquare.inbox.models import Channel, ChannelKind


def channel_for(space: Space) -> Channel:
    """`space.channel`, created (kind community, named after the space) when the space has none."""
    if space.channel_id is not None:
        return space.channel
    name = f"community-{space.slug}"[:100]
    channel = Channel.objects.filter(name=name, kind=ChannelKind.COMMUNITY).first()
    if channel is None:
        try:
            with transaction.atomic():
                channel = Channel.objects.create(name=name, kind=ChannelKind.COMMUNITY)
                record(
                    "channel.created",
                    channel_id=channel.pk,
                    data={"name": name, "kind": ChannelKind.COMMUNITY, "via": "community", "space": space.pk},
                )
        except IntegrityError:
            # Another request made it first (or an unrelated channel has the name): use a free name.
            channel = Channel.objects.filter(name=name, kind=ChannelKind.COMMUNITY).first()
            if channel is None:
                channel = Channel.objects.create(name=f"{name[:80]}-{space.pk}", kind=ChannelKind.COMMUNITY)
    Space.objects.filter(pk=space.pk, channel__isnull=True).update(channel=channel)
    space.refresh_from_db(fields=["channel"])
    return space.channel
