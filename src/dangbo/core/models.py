"""Cross-cutting records: the hash-chained audit log and failed-login counters."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangbo.core.paths import PathField

GENESIS_HASH = "0" * 64


class AuditEvent(models.Model):
    """One append-only entry of the audit chain. Written only by `dangbo.core.audit.record`.

    `hash` covers a canonical serialisation of every other field plus the previous event's hash,
    so editing, removing or reordering any event breaks the chain from that event on.
    """

    seq = models.PositiveBigIntegerField(unique=True)
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField(max_length=300, blank=True)
    party_path = PathField(max_length=255, blank=True)  # indexed in Meta
    unit_path = PathField(max_length=255, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    SCOPE = (("party", "party_path"), ("unit", "unit_path"))

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "seq"], name="audit_object_idx"),
            models.Index(fields=["party_path"], name="audit_party_path_idx"),
            models.Index(fields=["unit_path"], name="audit_unit_path_idx"),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditHead(models.Model):
    """The single row holding the chain's head. Locking it serialises appends, and comparing it
    with the last event detects events cut off the end of the chain."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self) -> str:
        return f"head #{self.seq}"


class LoginFailure(models.Model):
    """A failed login, kept for throttling by user name and by client address."""

    username = models.CharField(max_length=150, db_index=True)
    client_ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.username} @ {self.occurred_at:%Y-%m-%d %H:%M}"
