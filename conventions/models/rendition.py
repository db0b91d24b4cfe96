"""Which stored PDF holds a convention's current content, answered from one row.

The PDF cache is keyed by the final HTML (`rendering.output.content_key`), which takes about 0.1 s
to build. Every change to a convention or one of its parts bumps `content_version`; a render
records the version it started from with the key it produced. A download whose rendition is
current is therefore served without building anything, and one that is not is rendered first."""

import datetime

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from .convention import Convention

# A pre-render queued longer ago than this is taken as lost (worker stopped, enqueue failed):
# the next save enqueues a new one.
QUEUED_TIMEOUT = datetime.timedelta(minutes=5)
# A worker that started a render, or said it was polling its queue, this recently is alive: a
# download of a PDF it has been asked for answers "en préparation" rather than render the same
# document beside it.
WORKER_ALIVE_WITHIN = datetime.timedelta(seconds=60)
# How often a running worker says so (WorkerHeartbeat), well within WORKER_ALIVE_WITHIN.
WORKER_BEAT_EVERY = datetime.timedelta(seconds=20)
# How long downloads leave a PDF to the worker preparing it, counted from the save that asked for
# it, before rendering it themselves.
WORKER_DELAY_ALLOWED = datetime.timedelta(seconds=30)


class PdfRenditionQuerySet(models.QuerySet):
    def content_changed(self, convention_id):
        """Record that the convention's document may have changed. True when a pre-render must be
        enqueued, False when one is already waiting: it will render the latest content, so rapid
        successive saves give one render."""
        self.bulk_create([PdfRendition(convention_id=convention_id)], ignore_conflicts=True)
        self.filter(pk=convention_id).update(content_version=F("content_version") + 1)
        now = timezone.now()
        waiting = Q(queued=True, queued_at__gte=now - QUEUED_TIMEOUT)
        return bool(self.filter(pk=convention_id).exclude(waiting).update(queued=True, queued_at=now))

    def all_changed(self):
        """Reference data that every document may quote (a Caf, a collectivité, a model) changed:
        no stored PDF is taken as current until it is rendered again."""
        self.update(content_version=F("content_version") + 1)

    def version_of(self, convention_id):
        self.bulk_create([PdfRendition(convention_id=convention_id)], ignore_conflicts=True)
        return self.values_list("content_version", flat=True).get(pk=convention_id)

    def record(self, convention_id, version, key, page_count):
        """A render of the content as it was at `version` produced `key`; an older render finishing
        late never replaces a newer one."""
        self.filter(pk=convention_id).filter(
            Q(rendered_version__isnull=True) | Q(rendered_version__lt=version)
        ).update(rendered_version=version, key=key, page_count=page_count, rendered_at=timezone.now(), failed_at=None)

    def take_queued(self, convention_id):
        """A pre-render starts: saves from now on enqueue a new one, since this one may read their
        content or not."""
        self.filter(pk=convention_id).update(queued=False, render_started_at=timezone.now())

    def failed(self, convention_id):
        self.filter(pk=convention_id).update(failed_at=timezone.now())

    def worker_is_alive(self):
        """A worker started a pre-render lately (only the worker sets `render_started_at`), or,
        idle, said lately that it polls its queue: its queue moves."""
        since = timezone.now() - WORKER_ALIVE_WITHIN
        return (
            self.filter(render_started_at__gte=since).exists()
            or WorkerHeartbeat.objects.filter(beat_at__gte=since).exists()
        )


class PdfRendition(models.Model):
    convention = models.OneToOneField(
        Convention, on_delete=models.CASCADE, primary_key=True, related_name="pdf_rendition", verbose_name="convention"
    )
    content_version = models.PositiveIntegerField("version du contenu", default=1)
    rendered_version = models.PositiveIntegerField("version rendue", null=True, blank=True)
    key = models.CharField("clé du PDF", max_length=64, blank=True)
    page_count = models.PositiveIntegerField("pages", null=True, blank=True)
    queued = models.BooleanField("préparation demandée", default=False)
    queued_at = models.DateTimeField("demandée le", null=True, blank=True)
    render_started_at = models.DateTimeField("dernier rendu commencé le", null=True, blank=True)
    rendered_at = models.DateTimeField("rendu le", null=True, blank=True)
    failed_at = models.DateTimeField("dernier échec le", null=True, blank=True)

    objects = PdfRenditionQuerySet.as_manager()

    class Meta:
        verbose_name = "PDF préparé"
        verbose_name_plural = "PDF préparés"

    def __str__(self):
        return f"PDF de {self.convention_id} : {self.state_label}"

    @property
    def is_current(self):
        return bool(self.key) and self.rendered_version == self.content_version

    @property
    def is_rendering(self):
        """The worker started rendering this PDF lately and has neither finished nor failed."""
        started = self.render_started_at
        return (
            started is not None
            and started >= timezone.now() - WORKER_ALIVE_WITHIN
            and not (self.rendered_at and self.rendered_at >= started)
            and not (self.failed_at and self.failed_at >= started)
        )

    @property
    def is_preparing(self):
        """Not current, and a pre-render waits for the worker or runs, asked for by a save less
        than `WORKER_DELAY_ALLOWED` ago: past that, downloads render the PDF themselves."""
        if self.is_current:
            return False
        asked_at = self.queued_at or self.render_started_at
        if asked_at is None or asked_at < timezone.now() - WORKER_DELAY_ALLOWED:
            return False
        waiting = self.queued and not (self.failed_at and self.failed_at >= asked_at)
        return waiting or self.is_rendering

    @property
    def state_label(self):
        if self.is_current:
            return "PDF à jour"
        if self.is_preparing:
            return "PDF en préparation"
        return "PDF produit au téléchargement"


class WorkerHeartbeatQuerySet(models.QuerySet):
    def beat(self, worker):
        self.update_or_create(worker=worker, defaults={"beat_at": timezone.now()})

    def forget_stopped(self):
        """Workers killed before they could erase their heartbeat."""
        self.filter(beat_at__lt=timezone.now() - WORKER_ALIVE_WITHIN).delete()


class WorkerHeartbeat(models.Model):
    """A running PDF worker's last word: "I poll my queue", every WORKER_BEAT_EVERY, so that an
    idle worker still counts as running (`PdfRenditionQuerySet.worker_is_alive`)."""

    worker = models.CharField("worker", max_length=200, unique=True)
    beat_at = models.DateTimeField("vu le")

    objects = WorkerHeartbeatQuerySet.as_manager()

    class Meta:
        verbose_name = "worker PDF"
        verbose_name_plural = "workers PDF"

    def __str__(self):
        return f"{self.worker} ({self.beat_at:%d/%m/%Y %H:%M:%S})"
