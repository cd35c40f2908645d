"""What the organisation services tell the apps that keep data about organisations and people.

The orgs app knows nothing of member records; the members app listens here (its AppConfig.ready):
- `people_moved(source, target, people)`: a merger moved these people's organisation to `target`;
- `tree_changed(organisations, people)`: what these organisations' subtrees contain may have changed
  (a sub-organisation moved in or out), or these people's personal data changed.
Both are sent inside the service's transaction, so a listener's writes commit or roll back with it.
"""

from __future__ import annotations

from django.dispatch import Signal

people_moved = Signal()
tree_changed = Signal()
