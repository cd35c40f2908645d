"""Reference data: the posts of the party and business systems (loaded by a data migration)."""

# (code, name, system, single holder, rank). Names are Vietnamese titles: they are data, not UI text.
POSITIONS: tuple[tuple[str, str, str, bool, int], ...] = (
    ("bi-thu", "Bí thư", "party", True, 10),
    ("pho-bi-thu-thuong-truc", "Phó Bí thư Thường trực", "party", True, 20),
    ("pho-bi-thu", "Phó Bí thư", "party", False, 30),
    ("uy-vien-btv", "Ủy viên Ban Thường vụ", "party", False, 40),
    ("chu-nhiem-ubkt", "Chủ nhiệm Ủy ban Kiểm tra", "party", True, 50),
    ("pho-chu-nhiem-ubkt", "Phó Chủ nhiệm Ủy ban Kiểm tra", "party", False, 55),
    ("uy-vien-ubkt", "Ủy viên Ủy ban Kiểm tra", "party", False, 58),
    ("uy-vien-bch", "Ủy viên Ban Chấp hành", "party", False, 60),
    ("truong-ban-to-chuc", "Trưởng Ban Tổ chức", "party", True, 70),
    ("chanh-van-phong", "Chánh Văn phòng", "party", True, 75),
    ("chu-tich-hdtv", "Chủ tịch Hội đồng thành viên", "business", True, 10),
    ("thanh-vien-hdtv", "Thành viên Hội đồng thành viên", "business", False, 20),
    ("tong-giam-doc", "Tổng Giám đốc", "business", True, 30),
    ("pho-tong-giam-doc", "Phó Tổng Giám đốc", "business", False, 40),
    ("giam-doc", "Giám đốc", "business", True, 50),
    ("pho-giam-doc", "Phó Giám đốc", "business", False, 60),
    ("truong-ban", "Trưởng ban", "business", True, 70),
    ("pho-truong-ban", "Phó Trưởng ban", "business", False, 80),
    ("truong-buu-cuc", "Trưởng bưu cục", "business", True, 90),
)
