"""The "Dân vận khéo" 2024 movement of seed 001 for `dangbo demo`, entered through the services.

The Đảng ủy Tổng công ty launched it on the Party's 94th anniversary (3/2/2024) with four models,
each with specific criteria on a 100-point scale on top of common mandatory criteria; units "choose,
register, carry out and score themselves", and evaluation is "serious, objective, democratic and
public". Here: the four criteria sets (published), the movement over the committee's own
organisations and the 63 provincial post offices (whose party organisations are outside the tree:
they act through delegates), registrations from six organisations and six provincial post offices
(one rejected, with its reason), self-scores with evidence, a council of four that scores
independently (no member scores a unit they belong to), the round closed, sealed and published, and
two exemplars. A 2026 round stands open for registration, so the demo's cell secretary can register.

"Chi bộ bốn tốt" (KH 110-KH/ĐUK) and the 366-QĐ/TW frame (30 + 70 points) are published criteria
sets too. Every figure of the scores is drawn from a seeded generator: the same on every machine.
Every name is fictional; the provincial post offices are the 63 units of `orgs.demo`.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth import get_user_model

from dangbo.emulation import services
from dangbo.emulation.models import (
    CouncilMember,
    CriteriaSet,
    Criterion,
    Movement,
    MovementModel,
    Registration,
)
from dangbo.emulation.services import CriterionRow, ModelInput, MovementInput, ScoreInput
from dangbo.orgs.models import Organisation, Person, Unit
from dangbo.rules.orgs import UnitKind

D = Decimal
MOVEMENT_2024 = "Phong trào thi đua “Dân vận khéo” năm 2024"
MOVEMENT_2026 = "Phong trào thi đua “Dân vận khéo” năm 2026"

# Common mandatory criteria of every model (pass / fail).
COMMON = (
    CriterionRow("0", "Tiêu chí chung bắt buộc"),
    CriterionRow(
        "0.1",
        "Có kế hoạch triển khai mô hình được cấp ủy cùng cấp thông qua",
        mandatory=True,
        guidance="Kế hoạch bằng văn bản, có số, ngày, chữ ký của bí thư hoặc thủ trưởng đơn vị.",
    ),
    CriterionRow(
        "0.2",
        "Không có cán bộ, đảng viên, người lao động vi phạm pháp luật, kỷ luật trong năm",
        mandatory=True,
    ),
    CriterionRow("0.3", "Có báo cáo kết quả thực hiện mô hình đúng hạn (trước 15/11)", mandatory=True),
)


@dataclass(frozen=True)
class DemoModel:
    name: str
    field: str
    goal: str
    resources: str
    outputs: str
    criteria_name: str
    criteria: tuple[CriterionRow, ...]
    for_individuals: bool = False


def _c(
    code: str, title: str, points: int | str | None = None, guidance: str = "", step: str = ""
) -> CriterionRow:
    return CriterionRow(
        code, title, D(points) if points is not None else None, D(step) if step else None, guidance=guidance
    )


MODELS: tuple[DemoModel, ...] = (
    DemoModel(
        "“Dân vận khéo” trong tuyên truyền, vận động cán bộ, đảng viên, người lao động thực hiện tốt nhiệm vụ "
        "sản xuất kinh doanh",
        MovementModel.Field.ECONOMY,
        "Góp phần hoàn thành xuất sắc mục tiêu kế hoạch sản xuất kinh doanh năm 2024 của Tổng công ty.",
        "Cấp ủy, chuyên môn, công đoàn, đoàn thanh niên của đơn vị; kênh truyền thông nội bộ.",
        "Doanh thu đạt và vượt kế hoạch; dịch vụ mới được người lao động chủ động giới thiệu tới khách hàng.",
        "Dân vận khéo trong sản xuất kinh doanh",
        (
            _c("1", "Kết quả thực hiện kế hoạch sản xuất kinh doanh", 50),
            _c(
                "1.1",
                "Hoàn thành kế hoạch doanh thu được giao",
                30,
                "Đạt 100 % kế hoạch: 25 điểm; mỗi 1 % vượt: +1 điểm, tối đa 30.",
                "0.5",
            ),
            _c(
                "1.2",
                "Phát triển dịch vụ mới, khách hàng mới",
                20,
                "Theo tỷ lệ hoàn thành chỉ tiêu phát triển khách hàng.",
            ),
            _c("2", "Công tác tuyên truyền, vận động", 30),
            _c("2.1", "Số buổi tuyên truyền, đối thoại với người lao động", 15),
            _c("2.2", "Tin, bài trên kênh truyền thông nội bộ", 15),
            _c(
                "3",
                "Tính sáng tạo, khả năng nhân rộng của mô hình",
                20,
                "Có cách làm mới, được đơn vị khác học tập: tối đa 20.",
            ),
        ),
    ),
    DemoModel(
        "“Dân vận khéo” trong xây dựng và thực hiện Quy chế dân chủ ở cơ sở",
        MovementModel.Field.POLITICS,
        "Mọi người lao động được biết, được bàn, được kiểm tra, giám sát những việc của đơn vị theo quy chế.",
        "Ban chấp hành công đoàn, ban thanh tra nhân dân, hội nghị người lao động.",
        "Hội nghị người lao động đúng quy định; kiến nghị của người lao động được trả lời đúng hạn.",
        "Dân vận khéo trong thực hiện dân chủ ở cơ sở",
        (
            _c("1", "Ban hành, rà soát quy chế dân chủ ở cơ sở", 25),
            _c("2", "Tổ chức hội nghị người lao động, đối thoại định kỳ", 35),
            _c("2.1", "Hội nghị người lao động đúng thời hạn, đúng thành phần", 20),
            _c("2.2", "Đối thoại định kỳ giữa người sử dụng lao động và tập thể lao động", 15),
            _c(
                "3",
                "Giải quyết kiến nghị, phản ánh của người lao động",
                40,
                "Tỷ lệ kiến nghị được trả lời đúng hạn × 40.",
            ),
        ),
    ),
    DemoModel(
        "“Dân vận khéo” trong học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh (Chỉ thị 05-CT/TW) "
        "gắn với văn hóa doanh nghiệp",
        MovementModel.Field.SOCIETY,
        "Lan tỏa gương người tốt, việc tốt; văn hóa doanh nghiệp Bưu điện Việt Nam thành nền nếp hằng ngày.",
        "Cấp ủy, công đoàn, đoàn thanh niên; website văn hóa doanh nghiệp.",
        "Đăng ký làm theo của từng đảng viên; các gương điển hình được biểu dương.",
        "Dân vận khéo trong thực hiện Chỉ thị 05-CT/TW và văn hóa doanh nghiệp",
        (
            _c("1", "Đảng viên đăng ký và thực hiện việc làm theo gương Bác", 40),
            _c("2", "Thực hiện bộ quy tắc văn hóa doanh nghiệp tại nơi làm việc", 30),
            _c("3", "Hưởng ứng các cuộc vận động của Đảng ủy, Tổng công ty, Công đoàn, Đoàn Thanh niên", 30),
        ),
        for_individuals=True,
    ),
    DemoModel(
        "“Dân vận khéo” về phát huy vai trò của các tổ chức chính trị – xã hội trong giám sát, phản biện, góp ý "
        "xây dựng Đảng",
        MovementModel.Field.POLITICS,
        "Xây dựng Đảng trong sạch, vững mạnh, Tổng công ty phát triển bền vững.",
        "Công đoàn, Đoàn Thanh niên, Hội Cựu chiến binh của đơn vị.",
        "Các ý kiến góp ý được cấp ủy tiếp thu, trả lời bằng văn bản.",
        "Dân vận khéo trong giám sát, góp ý xây dựng Đảng",
        (
            _c("1", "Tổ chức hội nghị góp ý xây dựng Đảng, xây dựng cấp ủy", 30),
            _c("2", "Giám sát của công đoàn, đoàn thanh niên đối với cán bộ, đảng viên", 40),
            _c("3", "Ý kiến góp ý được tiếp thu và trả lời bằng văn bản", 30),
        ),
    ),
)

# "Chi bộ bốn tốt" (KH 110-KH/ĐUK of 22/12/2023): four criteria, no published point scheme — the
# committee's own weighting, equal here.
FOUR_GOOD = (
    _c("1", "Lãnh đạo thực hiện tốt nhiệm vụ chính trị", 25),
    _c(
        "2",
        "Chất lượng sinh hoạt chi bộ tốt",
        25,
        "Lấy từ sổ họp: số kỳ họp đúng định kỳ, đúng thời hạn thông báo, có chuyên đề.",
    ),
    _c("3", "Đoàn kết, kỷ luật tốt", 25),
    _c("4", "Cán bộ, đảng viên tốt", 25),
)
# The frame of 366-QĐ/TW and 43-HD/BTCTW: 30 general points and 70 for the results of the tasks.
FRAME_366 = (
    _c("1", "Các tiêu chí chung", 30),
    _c("1.1", "Tư tưởng chính trị; phẩm chất đạo đức, lối sống; ý thức tổ chức kỷ luật", 15),
    _c("1.2", "Tinh thần trách nhiệm, đổi mới sáng tạo; quan hệ công tác", 15),
    _c(
        "2", "Kết quả thực hiện nhiệm vụ được giao", 70, "Theo số nhiệm vụ hoàn thành đúng hạn, vượt yêu cầu."
    ),
)


@dataclass(frozen=True)
class Entrant:
    """A registration of the 2024 round: an organisation key or a provincial post office (unit key)."""

    key: str
    unit: bool
    model: int  # index into MODELS
    level: float  # how well it did, 0–1: the scores are drawn around it
    rejected: str = ""  # the council's reason when the registration is rejected
    fails: str = ""  # code of a mandatory criterion the council finds unmet


ENTRANTS: tuple[Entrant, ...] = (
    Entrant("tckt", False, 0, 0.93),
    Entrant("phbc", False, 0, 0.84),
    Entrant("Hà Nội", True, 0, 0.9),
    Entrant("Hồ Chí Minh", True, 0, 0.88),
    Entrant("logistics", False, 1, 0.81),
    Entrant("Nghệ An", True, 1, 0.86),
    Entrant("Lào Cai", True, 1, 0.78, fails="0.3"),
    Entrant("vp", False, 2, 0.91),
    Entrant("Đà Nẵng", True, 2, 0.83),
    Entrant("tem", False, 2, 0.7, rejected="Kế hoạch chưa được cấp ủy thông qua; đăng ký lại ở đợt sau."),
    Entrant("cntt", False, 3, 0.87),
    Entrant("Cà Mau", True, 3, 0.8),
)
EXEMPLARS = {
    "tckt": "Mỗi đảng viên nhận “đỡ đầu” một bưu cục khó khăn: cùng lập kế hoạch doanh thu, gặp người lao "
    "động hằng tháng. Doanh thu các bưu cục được đỡ đầu vượt kế hoạch 8 %.",
    "vp": "Sổ “việc tốt mỗi tuần” đặt tại phòng họp: ai cũng có thể ghi việc tốt của đồng nghiệp; cuối tháng "
    "chi bộ biểu dương ba việc tiêu biểu.",
}
# Council of the 2024 round: (login, post, chair).
COUNCIL = (
    ("lanhdao", "Bí thư Đảng ủy Tổng công ty", True),
    ("kiemtra", "Chủ nhiệm Ủy ban Kiểm tra Đảng ủy", False),
    ("vanphong", "Chánh Văn phòng Đảng ủy", False),
    ("thidua", "Ban Tổ chức – Nhân sự, thường trực thi đua", False),
)
# The emulation officers of the provincial post offices who act for them (fictional names).
DELEGATE_NAMES = {
    "Hà Nội": ("bdhanoi", "Lê Thị Thu", "Hà"),
    "Hồ Chí Minh": ("bdhcm", "Trần Văn", "Phúc"),
    "Nghệ An": ("bdnghean", "Hồ Thị", "Lam"),
    "Lào Cai": ("bdlaocai", "Vàng Thị", "Mai"),
    "Đà Nẵng": ("bddanang", "Phan Văn", "Trung"),
    "Cà Mau": ("bdcamau", "Dương Minh", "Khang"),
}


def _round_step(value: Decimal, step: Decimal) -> Decimal:
    return ((value / step).quantize(D(1), rounding=ROUND_HALF_UP) * step).quantize(D("0.01"))


def _points(criterion: Criterion, level: float, rng: random.Random, default_step: Decimal) -> Decimal:
    assert criterion.max_points is not None
    step = criterion.step or default_step
    drawn = D(str(min(1.0, max(0.0, level + rng.uniform(-0.08, 0.06))))) * criterion.max_points
    return min(criterion.max_points, _round_step(drawn, step))


def _criteria_set(
    owner: Organisation, name: str, rows: Sequence[CriterionRow], description: str
) -> CriteriaSet:
    existing = CriteriaSet.objects.filter(organisation=owner, name=name).first()
    if existing is not None:
        return existing
    draft = services.criteria_set_save(
        actor=None, organisation=owner, name=name, rows=list(rows), description=description
    )
    return services.criteria_set_publish(actor=None, criteria_set=draft)


def _delegate_user(key: str) -> Any:
    username, family, given = DELEGATE_NAMES[key]
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model.objects.create_user(username=username, first_name=family, last_name=given)
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


class _Round:
    def __init__(self, organisations: dict[str, Organisation], units: dict[str, Unit]) -> None:
        self.organisations = organisations
        self.units = units
        self.owner = organisations["tct"]
        self.rng = random.Random(2024)
        self.sets = [
            _criteria_set(
                self.owner,
                m.criteria_name,
                COMMON + m.criteria,
                "Ban hành kèm Hướng dẫn triển khai mô hình, điển hình “Dân vận khéo” năm 2024 của Đảng ủy "
                "Tổng công ty.",
            )
            for m in MODELS
        ]

    def _movement(self, name: str, starts: dt.date, ends: dt.date) -> Movement:
        provincial = [u for u in self.units.values() if u.kind == UnitKind.PROVINCIAL]
        branches = [self.organisations[k] for k in ("coquan", "phbc", "cntt", "logistics", "tem")]
        movement = services.movement_create(
            actor=None,
            organisation=self.owner,
            data=MovementInput(
                name=name,
                starts_on=starts,
                ends_on=ends,
                goals="Đưa công tác dân vận đi vào chiều sâu, có chất lượng, góp phần hoàn thành các chỉ tiêu "
                "sản xuất kinh doanh của Tổng công ty; phủ rộng đến toàn mạng lưới 63 Bưu điện tỉnh, thành phố.",
                organisations=branches,
                units=provincial,
            ),
        )
        for model, criteria_set in zip(MODELS, self.sets, strict=True):
            services.model_add(
                actor=None,
                movement=movement,
                data=ModelInput(
                    name=model.name,
                    field=model.field,
                    criteria_set=criteria_set,
                    goal=model.goal,
                    resources=model.resources,
                    outputs=model.outputs,
                    for_individuals=model.for_individuals,
                ),
            )
        for key in DELEGATE_NAMES:
            services.delegate_add(
                actor=None, movement=movement, unit=self.units[key], user=_delegate_user(key)
            )
        return movement

    def closed_2024(self) -> Movement:
        movement = self._movement(MOVEMENT_2024, dt.date(2024, 2, 3), dt.date(2024, 12, 31))
        services.movement_advance(actor=None, movement=movement)  # open for registration
        models = list(movement.models.order_by("position"))
        registrations: list[tuple[Entrant, Registration]] = []
        for entrant in ENTRANTS:
            registration = services.register(
                actor=None,
                model=models[entrant.model],
                unit=self.units[entrant.key] if entrant.unit else None,
                organisation=None if entrant.unit else self.organisations[entrant.key],
                plan="Đăng ký thực hiện mô hình năm 2024; kế hoạch chi tiết kèm theo.",
            )
            services.registration_decide(
                actor=None, registration=registration, approve=not entrant.rejected, reason=entrant.rejected
            )
            if not entrant.rejected:
                registrations.append((entrant, registration))
        user_model = get_user_model()
        for username, post, chair in COUNCIL:
            user = user_model.objects.get(username=username)
            services.council_add(actor=None, movement=movement, user=user, post=post, chair=chair)
        services.movement_advance(actor=None, movement=movement)  # scoring
        council = list(CouncilMember.objects.filter(movement=movement))
        for entrant, registration in registrations:
            self._score(entrant, registration, council)
        services.movement_advance(actor=None, movement=movement)  # closed: computed, sealed, locked
        by_key = {e.key: r for e, r in registrations}
        for key, story in EXEMPLARS.items():
            services.exemplar_set(actor=None, registration=by_key[key], story=story)
        return services.movement_advance(actor=None, movement=movement)  # published

    def _score(self, entrant: Entrant, registration: Registration, council: list[CouncilMember]) -> None:
        criteria_set = registration.model.criteria_set
        leaves = services.leaf_criteria(criteria_set)
        own: dict[int, ScoreInput] = {}
        for criterion in leaves:
            if criterion.mandatory:
                own[criterion.pk] = ScoreInput(passed=True, evidence="Hồ sơ lưu tại văn phòng cấp ủy.")
            else:
                points = _points(criterion, entrant.level + 0.05, self.rng, criteria_set.default_step)
                own[criterion.pk] = ScoreInput(points=points, evidence="Báo cáo kết quả, số liệu kèm theo.")
        services.self_score(actor=None, registration=registration, scores=own)
        for member in council:
            if services.conflict(member, registration):
                continue
            theirs: dict[int, ScoreInput] = {}
            for criterion in leaves:
                if criterion.mandatory:
                    theirs[criterion.pk] = ScoreInput(passed=criterion.code != entrant.fails)
                else:
                    theirs[criterion.pk] = ScoreInput(
                        points=_points(criterion, entrant.level, self.rng, criteria_set.default_step)
                    )
            services.council_score(actor=None, registration=registration, scores=theirs, member=member)

    def open_2026(self) -> Movement:
        movement = self._movement(MOVEMENT_2026, dt.date(2026, 2, 3), dt.date(2026, 12, 31))
        services.movement_advance(actor=None, movement=movement)
        first = movement.models.order_by("position").first()
        assert first is not None
        services.register(
            actor=None,
            model=first,
            unit=self.units["Hà Nội"],
            plan="Tiếp tục mô hình năm 2024, mở rộng tới các bưu cục ngoại thành.",
        )
        return movement


def load_emulation(
    organisations: dict[str, Organisation], units: dict[str, Unit], people: dict[str, Person]
) -> int:
    """Load the movements (idempotent): the number of movements created."""
    del people  # the council and delegates are users; kept for the loaders' common signature
    owner = organisations["tct"]
    if Movement.objects.filter(organisation=owner, name=MOVEMENT_2024).exists():
        return 0
    round_ = _Round(organisations, units)
    _criteria_set(
        owner,
        "Chi bộ bốn tốt",
        FOUR_GOOD,
        "Kế hoạch 110-KH/ĐUK ngày 22/12/2023; trọng số do Đảng ủy quy định.",
    )
    _criteria_set(
        owner,
        "Khung đánh giá chất lượng hằng năm (366-QĐ/TW)",
        FRAME_366,
        "Quy định 366-QĐ/TW ngày 30/8/2025 và Hướng dẫn 43-HD/BTCTW: 30 điểm tiêu chí chung, 70 điểm kết quả nhiệm vụ.",
    )
    round_.closed_2024()
    round_.open_2026()
    return 2
