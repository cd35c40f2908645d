from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "dangbo.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from dangbo.core.audit import register_reader
        from dangbo.documents import selectors, study, tasks

        # The log shows the events of a confidential document (and of its links, tasks, reports,
        # evidence and study) in full only to who may read it: the detail views' own querysets.
        register_reader("documents.document", selectors.documents_visible)
        register_reader("documents.documentlink", selectors.links_visible)
        register_reader("documents.task", tasks.tasks_visible)
        register_reader("documents.progressreport", tasks.reports_visible)
        register_reader("documents.evidence", tasks.evidence_visible)
        register_reader("documents.studyassignment", study.assignments_visible)
        register_reader("documents.studyconfirmation", study.confirmations_visible)
