"""Answering a conversation: replies, internal notes, canned replies, collision, undo-send, CSAT."""
