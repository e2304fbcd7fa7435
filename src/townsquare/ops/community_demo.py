"""Demo community: two spaces, the founding rules, members and the threads that tell journey 6 —
an English question answered by Bob and accepted, a Spanish one answered by a peer, a discussion,
and a question nobody answered that has waited long enough to land in the staff queue.

Everything goes through the community services (the same events, reputation, badges and care
conversations as real use); running it again adds nothing.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from townsquare.community.accepting import accept
from townsquare.community.guidelines.seeding import seed_guidelines
from townsquare.community.members import member_of
from townsquare.community.models import Space, Topic
from townsquare.community.posting import answer, ask, comment
from townsquare.community.voting import mark_helpful, vote
from townsquare.inbox.models import Channel, ChannelKind
from townsquare.people.models import Role, User

SPACES = [
    ("devices", "Devices", "en", "Headphones, speakers and blenders: setup, pairing and repairs.", 12),
    ("dispositivos", "Dispositivos", "es", "Preguntas sobre auriculares, altavoces y batidoras.", 12),
]
# (username, first name, languages, trust level)
MEMBERS = [
    ("farid", "Farid", ["ar", "en"], 1),
    ("dana", "Dana", ["es"], 1),
    ("mei", "Mei", ["zh", "en"], 2),
    ("lukas", "Lukas", ["de", "en"], 2),
]


def _member(username: str, first_name: str, languages: list[str], trust_level: int) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first_name, "role": Role.CUSTOMER, "languages": languages}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    member = member_of(user)
    if member.trust_level < trust_level:
        member.trust_level = trust_level
        member.save(update_fields=["trust_level"])
    return user


def _space(slug: str, name: str, language: str, description: str, hours: int) -> Space:
    channel, _ = Channel.objects.get_or_create(name="community", defaults={"kind": ChannelKind.COMMUNITY})
    space, _ = Space.objects.get_or_create(
        slug=slug,
        defaults={
            "name": name,
            "language": language,
            "description": description,
            "unanswered_after_hours": hours,
            "channel": channel,
        },
    )
    return space


def seed_community_demo(now=None) -> int:
    """Create the demo community if it has no topics yet; returns the number of topics created."""
    now = now or timezone.now()
    if Topic.objects.exists():
        return 0
    seed_guidelines()
    devices, dispositivos = (_space(*row) for row in SPACES)
    people = {row[0]: _member(*row) for row in MEMBERS}
    staff = {user.username: user for user in User.objects.filter(username__in=["bob", "alice"])}
    bob = staff.get("bob") or _member("bob", "Bob", ["en", "zh"], 3)
    member_of(bob).trust_level = 3
    member_of(bob).save(update_fields=["trust_level"])
    with transaction.atomic():
        pairing = ask(
            people["lukas"],
            devices,
            "My headphones will not pair with my phone",
            "They blink red and never show up in the Bluetooth list. I tried turning them off and on.",
            tags=["pairing", "headphones"],
        )
        reset = answer(
            bob,
            pairing,
            "Reset them first: hold the power button for **10 seconds** until the light blinks purple, "
            "then remove the old entry from your phone's Bluetooth list and pair again.",
        )
        answer(people["mei"], pairing, "Same here — a reset fixed it. Make sure they are charged too.")
        accept(people["lukas"], reset)
        vote(people["farid"], post=reset, value=1)
        vote(people["dana"], post=reset, value=1)
        mark_helpful(people["mei"], reset)

        batidora = ask(
            people["dana"],
            dispositivos,
            "La batidora hace un ruido fuerte al arrancar",
            "Desde ayer suena como si algo rozara la cuchilla. ¿Es normal?",
            tags=["batidora"],
        )
        peer = answer(
            people["lukas"],
            batidora,
            "Revisa que el vaso esté bien encajado: si no gira hasta el tope, la cuchilla roza la base.",
        )
        accept(people["dana"], peer)

        discussion = ask(
            people["mei"],
            devices,
            "What do you use the speaker's party mode for?",
            "I link two speakers in the kitchen and living room. Curious how others set theirs up.",
            tags=["speakers"],
            kind="discussion",
        )
        comment(people["lukas"], discussion, "Same setup, plus one on the balcony in summer.")

        stale = ask(
            people["farid"],
            devices,
            "Blender display shows error E4",
            "The display shows E4 and the motor stops after two seconds. The manual does not list E4.",
            tags=["blender", "error-codes"],
        )
    # The unanswered question has waited past its space's limit: the periodic sweep sends it to staff.
    Topic.objects.filter(pk=stale.pk).update(
        created_at=now - timedelta(hours=devices.unanswered_after_hours + 1)
    )
    from townsquare.community.bridge.unanswered import escalate_topic

    escalate_topic(stale.pk, now=now)
    return Topic.objects.count()
