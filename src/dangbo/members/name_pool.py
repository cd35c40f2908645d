"""Fictional Vietnamese names drawn with roughly national frequencies, for generated registers.

A register of millions must have as many distinct names as a real one — otherwise a search or a
sort over it is measured on a few thousand names repeated. Family names carry their approximate
share of the population (Nguyễn ≈ 38 %, Trần ≈ 11 %, Lê ≈ 9.5 % …); middle and given names fall
off with their rank (a long tail of rarer names after a few very common ones); one name in ten has a
two-word middle name. Every draw is a combination: the odds of matching a real person are those of
any name, and the few real people named in the seed articles are never produced.
"""

from __future__ import annotations

import random

from dangbo.orgs.demo import REAL_PEOPLE

# (family name, share in thousandths of the population)
FAMILY = (
    ("Nguyễn", 384), ("Trần", 112), ("Lê", 95), ("Phạm", 71), ("Hoàng", 41), ("Huỳnh", 20),
    ("Phan", 45), ("Vũ", 25), ("Võ", 14), ("Đặng", 21), ("Bùi", 20), ("Đỗ", 14), ("Hồ", 13),
    ("Ngô", 13), ("Dương", 10), ("Lý", 5), ("Đinh", 6), ("Đào", 5), ("Trịnh", 4), ("Lương", 4),
    ("Mai", 4), ("Trương", 4), ("Cao", 3), ("Tạ", 2), ("Lâm", 3), ("Hà", 3), ("Đoàn", 3),
    ("Vương", 2), ("Tô", 2), ("Chu", 2), ("Quách", 1), ("Thái", 2), ("Tăng", 1), ("Lưu", 2),
    ("Kiều", 1), ("Triệu", 1), ("Lại", 1), ("Khổng", 1), ("Mạc", 1), ("Tôn", 1), ("Nông", 2),
    ("Lò", 1), ("Hứa", 1), ("Văn", 1), ("Thân", 1), ("Diệp", 1), ("Lục", 1), ("Giáp", 1),
    ("Phùng", 1), ("Từ", 1), ("Âu", 1), ("Châu", 1), ("Hầu", 1), ("Ninh", 1), ("Bạch", 1),
    ("Nghiêm", 1), ("Cù", 1), ("Khúc", 1), ("La", 1), ("Ông", 1), ("Tống", 1), ("Doãn", 1),
    ("Đàm", 1), ("Viên", 1), ("Ứng", 1), ("Lã", 1), ("Kim", 1), ("Hoa", 1), ("Quan", 1),
)  # fmt: skip

MIDDLE = {  # space-separated, commonest first
    "male": (
        "Văn Đức Minh Quang Hữu Thành Xuân Tiến Công Mạnh Trọng Ngọc Đình Anh Hoàng Thanh Quốc Duy "
        "Hải Trung Việt Huy Tuấn Bá Khắc Như Phú Thế Viết Kim Chí Gia Bảo Đăng Hồng Thái Nhật Sỹ "
        "Trường Tấn Thiện Phúc Lê Hoài Tùng Vĩnh Hùng Đại Sơn Cao Doãn Khánh Phước Trí"
    ),
    "female": (
        "Thị Thu Ngọc Thanh Phương Hồng Khánh Bích Thùy Minh Kim Mai Hoài Diệu Bảo Quỳnh Lan Hải "
        "Thúy Mỹ Tuyết Thảo Hà Hương Huyền Kiều Lệ Nguyệt Như Tú Vân Xuân Yến Ánh Cẩm Diễm Hạnh "
        "Linh Nhật Quế Tường Vy Uyên Trúc Gia Hoàng"
    ),
}

GIVEN = {  # space-separated, commonest first
    "male": (
        "Anh Tuấn Hùng Dũng Hải Nam Long Minh Thắng Sơn Cường Hiếu Trung Đức Huy Quân Tùng Thành Phong "
        "Tâm Bình Hưng Khoa Việt Hoàng Lâm Phúc Vinh Toàn Kiên Quang Nghĩa Đạt Hòa Thịnh Lợi Hiệp Tiến "
        "Công Định Hiển Khánh Lực Mạnh Nhân Phát Quý Sang Tài Thái Thiện Thông Trí Trọng Tú Vũ Bảo "
        "Chiến Chính Cương Duy Giang Hà Hạnh Hậu Hiền Hoan Học Hội Huân Khang Khải Khôi Kỳ Lam Lân "
        "Linh Luân Lương Mạnh Nguyên Nhật Ninh Phú Phước Quốc Quyết Sỹ Tấn Thạch Thanh Thảo Thiêm Thuận "
        "Tín Tính Toản Trưởng Tuyên Văn Vĩnh Xuân Yên Ánh Ân Bách Bằng Biên Cảnh Châu Chung Doanh Điệp "
        "Đông Đồng Đường Gia Hào Hiệu Hợp Kha Khiêm Lập Lĩnh Lộc Luật Mẫn Nghị Ngọc Nhạc Pháp Phương "
        "Quảng Sáng Sinh Tạo Thăng Thể Thiều Thọ Thụ Thức Tiệp Triều Trường Tuệ Tường Ước Vượng"
    ),
    "female": (
        "Hương Lan Hoa Hằng Hà Trang Linh Huyền Thảo Ngọc Anh Mai Phương Thủy Hạnh Nga Yến Dung Hiền "
        "Loan Nhung Thúy Vân Liên Giang Quỳnh Thu Tuyết Oanh Hồng Hậu Hường Lý Ly Mơ Nguyệt Nhàn Như "
        "Nhi Phượng Quyên Tâm Thanh Thắm Thơ Thoa Thùy Trâm Tú Uyên Vy Xuân Ánh Bích Chi Diệp Diễm Duyên "
        "Gấm Hải Hảo Hiên Hiếu Hoài Huệ Khánh Khuê Kiều Lài Lam Lệ Liễu Loan Lụa Mến Minh My Mỹ Ngân "
        "Nhạn Nhiên Nhung Nương Phúc Quế Sen Sương Tâm Thêu Thi Thiện Thịnh Thoa Thục Thương Tiên Trà "
        "Trinh Tươi Tường Vi Việt Xoan Yên Ái Cúc Đào Điệp Hạ Hòa Khanh Lành Lựu Mận Ngà Nhài Quyên Thái"
    ),
}

SECOND_MIDDLE = 0.1  # share of names with a two-word middle name


def _by_rank(words: str, first: int = 60) -> tuple[str, ...]:
    """The words repeated so that the n-th is drawn about 6 + 60/n times (the first,
    `first` times: "Văn" and "Thị" are far commoner than any other middle name)."""
    seen: list[str] = []
    for word in words.split():
        if word not in seen:
            seen.append(word)
    weights = [first] + [6 + 60 // rank for rank in range(2, len(seen) + 1)]
    return tuple(word for word, weight in zip(seen, weights, strict=True) for _ in range(weight))


_FAMILY = tuple(name for name, share in FAMILY for _ in range(share))
_MIDDLE = {gender: _by_rank(words, first=200) for gender, words in MIDDLE.items()}
_GIVEN = {gender: _by_rank(words) for gender, words in GIVEN.items()}


def draw_name(rng: random.Random, gender: str) -> str:
    """One fictional full name for a person of this gender ("male" or "female")."""
    choice = rng.choice
    while True:
        middle = choice(_MIDDLE[gender])
        if rng.random() < SECOND_MIDDLE:
            second = choice(_MIDDLE[gender])
            if second != middle:
                middle = f"{middle} {second}"
        name = f"{choice(_FAMILY)} {middle} {choice(_GIVEN[gender])}"
        if name not in REAL_PEOPLE:
            return name
