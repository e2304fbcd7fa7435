"""The bridge between the community and the care inbox: no one is left without an answer.

- `intake`: a community question becomes a care conversation (through ingest, like any message),
  and staff and asker posts on it are mirrored into that conversation's timeline.
- `unanswered`: a question nobody answered usefully in time is escalated to staff, exactly once.
- `resolution`: an accepted answer resolves the care conversation (a peer resolution when a member,
  not staff, answered).
- `suggestions`: a care message that invites a reply is matched to community questions, so an agent
  can answer with a link.
- `publish`: a resolved care conversation is published as a question with an accepted answer, with
  the customer's consent and without personal data.
"""
