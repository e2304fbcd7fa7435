"""The group's own rules: the adopted guidelines with their public history, and the proposals
members make to add, change or remove a rule, discuss, and adopt by a vote with a quorum.

`rules` states how a vote is decided; `seeding` writes the founding rules; `proposing` opens,
comments on and withdraws proposals; `ballots` takes votes; `closing` opens and closes votes on
time (the periodic check and `townsquare community-guidelines close`) and `adoption` writes what
an adopted proposal changes.
"""
