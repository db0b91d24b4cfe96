"""Progress of a plan d'actions by axis, from the latest quarterly update of each action."""

from dataclasses import dataclass

from plans.models import FollowUp, FollowUpStatus

ROW_HEIGHT = 40


def chart_height(rows):
    return len(rows) * ROW_HEIGHT


@dataclass
class AxisProgress:
    number: int
    title: str
    actions: int
    progress: int  # mean of the actions' latest progress, 0 for actions never followed
    done: int
    abandoned: int

    @property
    def bar_width(self):
        """Width of the bar in the SVG chart (300 units for 100 %)."""
        return self.progress * 3

    @property
    def y(self):
        """Top of this axis's row in the SVG chart (one row of ROW_HEIGHT per axis)."""
        return (self.number - 1) * ROW_HEIGHT


def progress_by_axis(convention):
    latest = FollowUp.objects.filter(action__axis__convention=convention).latest_per_action()
    rows = []
    for number, axis in enumerate(convention.axes.prefetch_related("actions").order_by("position"), start=1):
        actions = list(axis.actions.all())
        updates = [latest.get(action.pk) for action in actions]
        progress = round(sum(update.progress for update in updates if update) / len(actions)) if actions else 0
        rows.append(
            AxisProgress(
                number=number,
                title=axis.title,
                actions=len(actions),
                progress=progress,
                done=sum(1 for update in updates if update and update.status == FollowUpStatus.DONE),
                abandoned=sum(1 for update in updates if update and update.status == FollowUpStatus.ABANDONED),
            )
        )
    return rows
