"""/api/v1: each app's api.py registered on one router, plus the OpenAPI schema and its docs page."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from dangbo.api.views import TokenView
from dangbo.awards import api as awards_api
from dangbo.documents import api as documents_api
from dangbo.documents import api_study
from dangbo.documents import api_tasks as tasks_api
from dangbo.emulation import api as emulation_api
from dangbo.evaluation import api as evaluation_api
from dangbo.handbook import api as handbook_api
from dangbo.meetings import api as meetings_api
from dangbo.meetings import api_quality as quality_api
from dangbo.members import api as members_api
from dangbo.orgs import api as orgs_api

router = DefaultRouter()
router.include_format_suffixes = False
router.register("organisations", orgs_api.OrganisationViewSet, basename="organisation")
router.register("units", orgs_api.UnitViewSet, basename="unit")
router.register("position-types", orgs_api.PositionTypeViewSet, basename="position-type")
router.register("appointments", orgs_api.AppointmentViewSet, basename="appointment")
router.register("members", members_api.MemberViewSet, basename="member")
router.register("documents", documents_api.DocumentViewSet, basename="document")
router.register("tasks", tasks_api.TaskViewSet, basename="task")
router.register("study-assignments", api_study.StudyAssignmentViewSet, basename="study-assignment")
router.register("meeting-quality", quality_api.MeetingQualityViewSet, basename="meeting-quality")
router.register("handbook/notifications", handbook_api.NotificationViewSet, basename="handbook-notification")
router.register("handbook/meetings", handbook_api.MyMeetingsViewSet, basename="handbook-meeting")
router.register("handbook/opinions", handbook_api.OpinionViewSet, basename="handbook-opinion")
router.register("handbook/corrections", handbook_api.CorrectionViewSet, basename="handbook-correction")
router.register("meetings", meetings_api.MeetingViewSet, basename="meeting")
router.register("evaluation/rounds", evaluation_api.EvaluationRoundViewSet, basename="evaluation-round")
router.register("evaluation/assessments", evaluation_api.AssessmentViewSet, basename="evaluation-assessment")
router.register(
    "emulation/criteria-sets", emulation_api.CriteriaSetViewSet, basename="emulation-criteria-set"
)
router.register("emulation/movements", emulation_api.MovementViewSet, basename="emulation-movement")
router.register(
    "emulation/registrations", emulation_api.RegistrationViewSet, basename="emulation-registration"
)
router.register("award-kinds", awards_api.AwardKindViewSet, basename="award-kind")
router.register("awards", awards_api.AwardViewSet, basename="award")
router.register("award-proposals", awards_api.ProposalViewSet, basename="award-proposal")
router.register("award-decisions", awards_api.DecisionViewSet, basename="award-decision")

urlpatterns = [
    path("", include(router.urls)),
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="api-schema"),
    path("docs/", login_not_required(SpectacularSwaggerView.as_view(url_name="api-schema")), name="api-docs"),
]
