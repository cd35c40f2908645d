"""The demo's annual evaluation: the 2025 round of the Đảng bộ Cơ quan Tổng công ty (a grassroots
organisation: its committee decides the levels of its cells and of their members, ⚠ rules.md §5)
with the Ban Tài chính – Kế toán cell self-assessed, its proposals made and some levels decided;
and an open 2026 round, so the demo login `dangvien` (a member of that cell) can fill in a
self-assessment. Every write goes through the services as the system (None), so each is audited.
Loading twice creates nothing the second time: a round that exists is left as it is.
"""

from __future__ import annotations

from decimal import Decimal

from dangbo.evaluation import services
from dangbo.evaluation.models import Assessment, EvaluationRound
from dangbo.orgs.models import Organisation, Person

DECIDING = "coquan"
CELL = "tckt"

# person key → (general, tasks, total, done, on time, beyond requirements), the texts, the levels
# proposed and decided ("" for none yet).
FIGURES: dict[str, tuple[tuple[str, str, int, int, int, int], str, str]] = {
    "tckt.secretary": (("27", "62", 12, 12, 12, 3), "HTTNV", "HTTNV"),
    "tckt.deputy": (("28", "65", 10, 10, 10, 4), "HTXSNV", ""),
    "tckt.member1": (("25", "55", 8, 8, 8, 1), "HTTNV", "HTTNV"),
    "tckt.member2": (("24", "48", 9, 9, 7, 0), "HTNV", ""),
}
CELL_FIGURES = ("27", "63", 15, 15, 15, 5)
STRENGTHS = (
    "Hoàn thành các nhiệm vụ được giao trong năm, bảo đảm tiến độ quyết toán và báo cáo tài chính; "
    "gương mẫu chấp hành chủ trương của Đảng, chính sách, pháp luật của Nhà nước."
)
WEAKNESSES = "Có thời điểm việc cập nhật chứng từ còn chậm; chưa chủ động đề xuất cải tiến quy trình."
REMEDIES = "Tăng cường ứng dụng chuyển đổi số trong công tác kế toán; chủ động phối hợp với các ban."


def _input(figures: tuple[str, str, int, int, int, int]) -> services.SelfInput:
    general, tasks, total, done, on_time, exceeding = figures
    return services.SelfInput(
        general_score=Decimal(general),
        task_score=Decimal(tasks),
        tasks_total=total,
        tasks_done=done,
        tasks_on_time=on_time,
        tasks_exceeding=exceeding,
        strengths=STRENGTHS,
        weaknesses=WEAKNESSES,
        remedies=REMEDIES,
    )


def _year_2025(deciding: Organisation, cell: Organisation, people: dict[str, Person]) -> EvaluationRound:
    evaluation_round = services.round_open(actor=None, organisation=deciding, year=2025)
    mine = {a.person_id: a for a in evaluation_round.assessments.filter(person__isnull=False)}
    for key, (figures, _proposed, _decided) in FIGURES.items():
        assessment = mine.get(people[key].pk)
        if assessment is not None:
            services.self_assess(actor=None, assessment=assessment, data=_input(figures))
    cell_row = evaluation_round.assessments.get(collective=True, organisation=cell)
    services.self_assess(actor=None, assessment=cell_row, data=_input(CELL_FIGURES))
    evaluation_round = services.round_advance(actor=None, evaluation_round=evaluation_round)
    ids = {a.person_id: a.pk for a in Assessment.objects.filter(round=evaluation_round, person__isnull=False)}
    proposals = {
        ids[people[key].pk]: services.LevelInput(proposed)
        for key, (_f, proposed, _d) in FIGURES.items()
        if people[key].pk in ids
    }
    proposals[cell_row.pk] = services.LevelInput("HTTNV", "Chi bộ đoàn kết, hoàn thành tốt nhiệm vụ.")
    services.levels_propose(actor=None, evaluation_round=evaluation_round, proposals=proposals)
    evaluation_round = services.round_advance(actor=None, evaluation_round=evaluation_round)
    decisions = {
        ids[people[key].pk]: services.LevelInput(decided)
        for key, (_f, _p, decided) in FIGURES.items()
        if decided and people[key].pk in ids
    }
    services.levels_decide(actor=None, evaluation_round=evaluation_round, decisions=decisions)
    return evaluation_round


def load_evaluations(organisations: dict[str, Organisation], people: dict[str, Person]) -> int:
    """The demo's rounds (keys as in `dangbo.orgs.demo`); returns how many rounds were created."""
    deciding, cell = organisations[DECIDING], organisations[CELL]
    created = 0
    if not EvaluationRound.objects.filter(organisation=deciding, year=2025).exists():
        _year_2025(deciding, cell, people)
        created += 1
    if not EvaluationRound.objects.filter(organisation=deciding, year=2026).exists():
        services.round_open(actor=None, organisation=deciding, year=2026)
        created += 1
    return created
