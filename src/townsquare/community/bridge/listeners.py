"""The bridge's reactions to community events, run inside the transaction that wrote each event.

Imported by the community app's `ready()`, so the listeners are registered in every process.
"""

from django.db.models.signals import post_save

from townsquare.community.bridge import intake, replies, resolution, staff_queue
from townsquare.community.events import listens
from townsquare.community.models import Post, Topic
from townsquare.events.models import Event


@listens("community.topic_created", "community.topic_approved")
def question_to_care(event) -> None:
    data = event.data
    if data.get("held") or data.get("imported") or data.get("published_from"):
        return
    topic = Topic.objects.select_related("author").filter(pk=data.get("topic")).first()
    if topic is not None:
        intake.ingest_topic(topic)


@listens("community.post_created", "community.post_approved")
def post_to_care(event) -> None:
    data = event.data
    if data.get("held") or data.get("imported") or replies.from_care.get():
        return
    if Post.objects.filter(pk=data.get("post"), topic__conversation__isnull=False).exists():
        intake.mirror_post(Post(pk=data["post"]))


listens("community.answer_accepted")(resolution.resolve_for_accepted)
listens("community.answer_unaccepted")(resolution.reopen_for_unaccepted)

# Care replies on a community question are posted in the community (delivery writes `message.sent`).
post_save.connect(replies.on_event_saved, sender=Event, dispatch_uid="community-bridge-care-replies")
# Community conversations escalated to staff go to a queue staff serve, not back to the ambassadors'.
post_save.connect(staff_queue.after_escalation, sender=Event, dispatch_uid="community-bridge-staff-queue")
