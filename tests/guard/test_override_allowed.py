"""Only a supervisor or an admin may override the guard."""

from townsquare.replies.guard import override_allowed


def test_supervisor_and_admin_may_override(carol, grace):
    assert override_allowed(carol) and override_allowed(grace)


def test_agents_ambassadors_and_moderators_may_not(alice, bob, eve, farid):
    assert not any(override_allowed(user) for user in (alice, bob, eve, farid))


def test_inactive_supervisor_and_nobody_may_not(carol):
    carol.is_active = False
    assert not override_allowed(carol)
    assert not override_allowed(None)
