"""The community public pages, one file per thing a person does there."""
