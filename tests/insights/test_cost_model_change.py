"""Grace (admin) sets what a contact costs; nobody else may, and bad values are refused clearly."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from townsquare.events.models import Event
from townsquare.inbox.channels import OPERATOR
from townsquare.inbox.visibility import Forbidden
from townsquare.insights.cost_model import CostModelError, current_model, update_model
from townsquare.insights.models import CostModel

pytestmark = pytest.mark.django_db


def test_grace_changes_the_cost_model_and_the_change_is_logged(grace):
    update_model(grace, currency="eur", by_role={"staff": 5.5, "community": 0.2}, by_channel={"email": 7})
    model = current_model()
    assert model.currency == "EUR"
    assert model.by_role["staff"] == 5.5 and model.by_role["community"] == 0.2
    assert model.by_role["ambassador"] == 0.8  # left out: the default stays
    assert model.by_channel == {"email": 7.0}
    assert model.updated_by_id == grace.pk
    event = Event.objects.get(kind="insights.cost_model_changed")
    assert event.actor_id == grace.pk
    assert event.data["before"]["currency"] == "GBP"
    assert event.data["after"]["by_channel"] == {"email": 7.0}
    update_model(grace, deflection_share=0.25)
    assert CostModel.objects.get().deflection_share == 0.25
    assert CostModel.objects.get().by_channel == {"email": 7.0}  # untouched values stay
    assert Event.objects.filter(kind="insights.cost_model_changed").count() == 2


def test_saving_the_same_values_writes_no_event(grace):
    update_model(grace, deflection_share=0.3)
    update_model(grace, deflection_share=0.3)
    assert Event.objects.filter(kind="insights.cost_model_changed").count() == 1


def test_the_operator_may_change_it_from_the_command_line(db):
    update_model(OPERATOR, by_role={"staff": 3})
    assert current_model().by_role["staff"] == 3
    assert Event.objects.get(kind="insights.cost_model_changed").actor_id is None


@pytest.mark.parametrize("who", ["alice", "carol", "bob", "eve", "farid"])
def test_only_an_admin_may_change_it(who, request):
    person = request.getfixturevalue(who)
    with pytest.raises(Forbidden):
        update_model(person, by_role={"staff": 1})
    assert not CostModel.objects.exists()
    assert not Event.objects.filter(kind="insights.cost_model_changed").exists()


@pytest.mark.parametrize(
    "change, message",
    [
        ({"by_role": {"staff": -1}}, "cannot be negative"),
        ({"by_role": {"staff": "lots"}}, "must be a number"),
        ({"by_role": {"staff": float("nan")}}, "finite"),
        ({"by_role": {"janitor": 2}}, "unknown role 'janitor'"),
        ({"by_role": ["staff", 4]}, "by_role must be an object"),
        ({"by_channel": {"fax": 3}}, "unknown channel kind 'fax'"),
        ({"by_channel": {"email": -0.5}}, "cannot be negative"),
        ({"deflection_share": 1.5}, "between 0 and 1"),
        ({"deflection_share": -0.1}, "between 0 and 1"),
        ({"deflection_share": "most"}, "between 0 and 1"),
        ({"currency": "pounds"}, "three-letter"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_saved(grace, change, message):
    with pytest.raises(CostModelError, match=message):
        update_model(grace, **change)
    assert not CostModel.objects.exists()
    assert not Event.objects.filter(kind="insights.cost_model_changed").exists()


def test_one_bad_value_keeps_the_others_from_being_saved(grace):
    update_model(grace, by_role={"staff": 4})
    with pytest.raises(CostModelError):
        update_model(grace, by_role={"staff": 9}, deflection_share=2)
    assert current_model().by_role["staff"] == 4


def test_the_operator_sets_it_with_the_cli(db):
    out = io.StringIO()
    call_command("insights_cost_model", "--staff", "6", "--channel", "email=7.5", "--json", stdout=out)
    shown = json.loads(out.getvalue())
    assert shown["by_role"] == {"staff": 6.0, "ambassador": 0.8, "community": 0.1}
    assert shown["by_channel"] == {"email": 7.5}
    with pytest.raises(CommandError, match="cannot be negative"):
        call_command("insights_cost_model", "--community", "-1", stdout=io.StringIO())
    with pytest.raises(CommandError, match="KIND=COST"):
        call_command("insights_cost_model", "--channel", "email", stdout=io.StringIO())
    out = io.StringIO()
    call_command("insights_cost_model", stdout=out)
    assert "GBP 6 by staff" in out.getvalue() and "email 7.5" in out.getvalue()


def test_the_defaults_nobody_saved_have_no_time_of_change(db):
    from townsquare.insights.cost_model import as_dict, current_model

    assert as_dict(current_model())["updated_at"] is None
