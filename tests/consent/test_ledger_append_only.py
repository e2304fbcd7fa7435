"""The consent ledger is evidence: records are added, never changed or removed, not even in SQL."""

import pytest
from django.db import DatabaseError, connection, transaction

from townsquare.people.consent import record_consent
from townsquare.people.models import ConsentLedgerError, ConsentRecord

# Dana has a conversation the staff in these tests can see.
pytestmark = pytest.mark.usefixtures("dana_conversation")


@pytest.fixture
def grant(carol, dana):
    return record_consent(carol, dana, "offers", granted=True, source="console", wording="Offers: yes")


def test_record_cannot_be_saved_again(grant):
    grant.granted = False
    with pytest.raises(ConsentLedgerError):
        grant.save()


def test_record_and_queryset_cannot_be_deleted_or_updated(grant):
    with pytest.raises(ConsentLedgerError):
        grant.delete()
    with pytest.raises(ConsentLedgerError):
        ConsentRecord.objects.filter(pk=grant.pk).delete()
    with pytest.raises(ConsentLedgerError):
        ConsentRecord.objects.filter(pk=grant.pk).update(granted=False)
    assert ConsentRecord.objects.get(pk=grant.pk).granted


def test_database_refuses_update(grant):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE people_consentrecord SET granted = %s WHERE id = %s", [False, grant.pk])
    assert ConsentRecord.objects.get(pk=grant.pk).granted


def test_revocation_is_a_new_record(carol, dana, grant):
    record_consent(carol, dana, "offers", granted=False, source="email", wording="Unsubscribe")
    assert list(ConsentRecord.objects.filter(customer=dana).values_list("granted", flat=True)) == [
        True,
        False,
    ]
