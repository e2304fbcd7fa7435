"""The demo's care set-up: the teams, queues, agents on duty, SLA policies and canned replies of SCENARIOS.md.

Idempotent: every object is found by its name first, so loading the demo again changes nothing.
"""

from townsquare.care.models import AgentProfile, Presence, Queue, RoutingMode, Team
from townsquare.people.models import User
from townsquare.replies.models import CannedReply
from townsquare.sla.models import BusinessCalendar, Holiday, SlaPolicy

TEAMS = {"Devices": ["alice", "carol"], "Billing": ["bruno", "carol"]}

# (name, team, rules, position, mode): Spanish goes to Billing (Bruno), community questions to the
# ambassadors, everything else to Devices.
QUEUES = [
    ("Spanish", "Billing", {"language": ["es"]}, 10, RoutingMode.LEAST_LOADED),
    ("Community", None, {"channel_kind": ["community"]}, 20, RoutingMode.LEAST_LOADED),
    ("Devices", "Devices", {}, 100, RoutingMode.LEAST_LOADED),
]

# (username, capacity, skills, queues outside their teams)
ON_DUTY = [
    ("alice", 6, ["devices"], []),
    ("bruno", 6, ["billing"], []),
    ("carol", 4, [], []),
    ("bob", 3, ["community"], ["Community"]),
]

OFFICE_HOURS = {day: [["08:00", "20:00"]] for day in ("mon", "tue", "wed", "thu", "fri")} | {
    "sat": [["10:00", "16:00"]]
}
HOLIDAYS = [("12-25", "Christmas Day"), ("12-26", "Boxing Day"), ("01-01", "New Year's Day")]

# (name, priority, first response, next response, resolution) in business minutes.
POLICIES = [
    ("Standard", "", 60, 120, 24 * 60),
    ("Urgent", "urgent", 15, 30, 4 * 60),
    ("High", "high", 30, 60, 8 * 60),
]

CANNED = [
    (
        "order-status",
        "en",
        "Where is my order",
        "Hi {{customer.first_name}}, I checked order {{order_number}}: "
        "it is on its way and should arrive within two working days. — {{agent.name}}",
    ),
    (
        "order-status",
        "es",
        "¿Dónde está mi pedido?",
        "Hola {{customer.first_name}}, he revisado el pedido "
        "{{order_number}}: está en camino y llegará en dos días laborables. — {{agent.name}}",
    ),
    (
        "order-status",
        "de",
        "Wo ist meine Bestellung",
        "Hallo {{customer.first_name}}, ich habe Bestellung "
        "{{order_number}} geprüft: Sie ist unterwegs und kommt in zwei Werktagen an. — {{agent.name}}",
    ),
    (
        "broken-item",
        "en",
        "Item arrived broken",
        "I'm sorry it arrived broken, {{customer.first_name}}. "
        "I've started a free replacement for order {{order_number}}; you don't need to send anything back.",
    ),
    (
        "broken-item",
        "es",
        "Artículo roto",
        "Siento que llegara roto, {{customer.first_name}}. He pedido un "
        "reemplazo gratuito del pedido {{order_number}}; no hace falta devolver nada.",
    ),
    (
        "dm-details",
        "en",
        "Ask for a DM",
        "Could you send us a direct message with your order number? We'll sort it out from there.",
    ),
]


def seed_care_demo(year: int) -> None:
    teams = {name: Team.objects.get_or_create(name=name)[0] for name in TEAMS}
    users = {
        user.username: user for user in User.objects.filter(username__in=[u for u, *_ in ON_DUTY] + ["alice"])
    }
    for name, members in TEAMS.items():
        teams[name].members.add(*[users[m] for m in members if m in users])
    queues = {}
    for name, team, rules, position, mode in QUEUES:
        queues[name] = Queue.objects.get_or_create(
            name=name,
            defaults={"team": teams.get(team), "rules": rules, "position": position, "routing_mode": mode},
        )[0]
    for username, capacity, skills, extra_queues in ON_DUTY:
        if username not in users:
            continue
        profile, created = AgentProfile.objects.get_or_create(
            user=users[username],
            defaults={"capacity": capacity, "skills": skills, "presence": Presence.ONLINE},
        )
        if created:
            profile.queues.add(*[queues[q] for q in extra_queues])
    calendar, created = BusinessCalendar.objects.get_or_create(
        name="Office hours", defaults={"time_zone": "Europe/Berlin", "hours": OFFICE_HOURS}
    )
    if created:
        for day, name in HOLIDAYS:
            for each_year in (year, year + 1):
                Holiday.objects.create(calendar=calendar, date=f"{each_year}-{day}", name=name)
    for name, priority, first, following, resolution in POLICIES:
        SlaPolicy.objects.get_or_create(
            name=name,
            defaults={
                "priority": priority,
                "first_response_minutes": first,
                "next_response_minutes": following,
                "resolution_minutes": resolution,
                "calendar": calendar,
            },
        )
    for shortcut, language, title, text in CANNED:
        CannedReply.objects.get_or_create(
            shortcut=shortcut, language=language, defaults={"title": title, "text": text}
        )
