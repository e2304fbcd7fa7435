"""Grace browses the consent ledger in the admin; nobody can add, edit or delete a record there."""

from django.urls import reverse

from townsquare.people.consent import record_consent


def test_ledger_is_listed_and_read_only(client, grace, carol, dana, dana_conversation):
    entry = record_consent(carol, dana, "offers", granted=True, source="livechat", wording="Offers: yes")
    client.force_login(grace)
    listing = client.get(reverse("admin:people_consentrecord_changelist"))
    assert listing.status_code == 200 and "Dana" in listing.content.decode()
    assert client.get(reverse("admin:people_consentrecord_change", args=[entry.pk])).status_code == 200
    assert client.get(reverse("admin:people_consentrecord_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:people_consentrecord_delete", args=[entry.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
