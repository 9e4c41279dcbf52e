"""Demo organisations and their people: suppliers, enterprises, brokers, partner exchanges.

Names of public institutes and universities are real (they are the exchange's natural suppliers);
enterprises, brokers and their people are invented.
"""

# ruff: noqa: E501  (data tables: one record per block reads better than wrapped strings)

from dataclasses import dataclass, field

from app.auth.bootstrap import OPERATOR_NAME_EN, OPERATOR_NAME_VI


@dataclass(frozen=True)
class OrgSeed:
    slug: str  # ascii, also the local part of its people's e-mail addresses
    kind: str
    name_vi: str
    name_en: str
    region: str
    source_exchange: str
    sectors: tuple[str, ...] = ()  # what it offers (suppliers) or needs (enterprises)
    address: str | None = None
    website: str | None = None
    description: str | None = None
    people: tuple[tuple[str, str, tuple[str, ...]], ...] = field(default_factory=tuple)
    # people: (email local part, full name, platform roles); empty = one owner + one member made up


OPERATOR = OrgSeed(
    "ttud", "operator", OPERATOR_NAME_VI, OPERATOR_NAME_EN, "hcm", "hcm",
    address="273 Điện Biên Phủ, Phường Xuân Hòa, TP. Hồ Chí Minh",
    description="Đơn vị vận hành Sàn giao dịch công nghệ TP.HCM theo Quyết định 3628/QĐ-UBND.",
    people=(
        ("admin", "Trần Thị Minh Thư", ("operator_admin",)),
        ("kiemduyet", "Lê Hoàng Phúc", ("moderator",)),
        ("moigioi", "Nguyễn Quốc Bảo", ("broker",)),
    ),
)  # fmt: skip

INSTITUTES = [
    OrgSeed("ich", "institute", "Viện Công nghệ Hóa học", "Institute of Chemical Technology",
            "hcm", "hcm", ("chem_pharma_rubber_plastics", "new_materials", "food_processing"),
            address="1A Thạnh Lộc 29, Phường An Phú Đông, TP. Hồ Chí Minh"),
    OrgSeed("itb", "institute", "Viện Sinh học Nhiệt đới", "Institute of Tropical Biology",
            "hcm", "hcm", ("biotechnology", "food_processing")),
    OrgSeed("imat", "institute", "Viện Khoa học Vật liệu Ứng dụng",
            "Institute of Applied Materials Science", "hcm", "hcm",
            ("new_materials", "renewable_energy", "semiconductors")),
    OrgSeed("iami", "institute", "Viện Cơ học và Tin học ứng dụng",
            "Institute of Applied Mechanics and Informatics", "hcm", "hcm",
            ("mechanical", "ai", "electronics_it")),
    OrgSeed("shtp-rd", "institute", "Trung tâm Nghiên cứu Triển khai Khu Công nghệ cao",
            "SHTP Research and Development Centre", "hcm", "hcm",
            ("semiconductors", "electronics_it", "new_materials")),
    OrgSeed("ria2", "institute", "Viện Nghiên cứu Nuôi trồng Thủy sản II",
            "Research Institute for Aquaculture No. 2", "hcm", "hcm",
            ("biotechnology", "food_processing")),
    OrgSeed("iasvn", "institute", "Viện Khoa học Kỹ thuật Nông nghiệp miền Nam",
            "Institute of Agricultural Science for Southern Vietnam", "hcm", "hcm",
            ("biotechnology", "food_processing", "digital_green_transition")),
    OrgSeed("hcmbiotech", "institute", "Trung tâm Công nghệ Sinh học TP.HCM",
            "HCMC Biotechnology Centre", "hcm", "hcm", ("biotechnology", "food_processing")),
    OrgSeed("rrivn", "institute", "Viện Nghiên cứu Cao su Việt Nam",
            "Rubber Research Institute of Vietnam", "hcm", "binh_duong",
            ("chem_pharma_rubber_plastics", "digital_green_transition"),
            address="Xã Lai Khê, TP. Hồ Chí Minh (Bình Dương cũ)"),
    OrgSeed("clrri", "institute", "Viện Lúa đồng bằng sông Cửu Long",
            "Cuu Long Delta Rice Research Institute", "can_tho", "national",
            ("biotechnology", "food_processing", "ai")),
]  # fmt: skip

UNIVERSITIES = [
    OrgSeed("hcmut", "university", "Trường Đại học Bách khoa – ĐHQG-HCM",
            "Ho Chi Minh City University of Technology – VNU-HCM", "hcm", "hcm",
            ("mechanical", "electronics_it", "semiconductors", "ai", "new_materials"),
            website="https://hcmut.edu.vn"),
    OrgSeed("hcmus", "university", "Trường Đại học Khoa học Tự nhiên – ĐHQG-HCM",
            "University of Science – VNU-HCM", "hcm", "hcm",
            ("ai", "biotechnology", "new_materials", "semiconductors"),
            website="https://hcmus.edu.vn"),
    OrgSeed("hcmuaf", "university", "Trường Đại học Nông Lâm TP.HCM",
            "Nong Lam University – Ho Chi Minh City", "hcm", "hcm",
            ("food_processing", "biotechnology", "mechanical", "renewable_energy"),
            website="https://hcmuaf.edu.vn"),
    OrgSeed("tdmu", "university", "Trường Đại học Thủ Dầu Một", "Thu Dau Mot University",
            "hcm", "binh_duong", ("digital_green_transition", "electronics_it", "food_processing"),
            website="https://tdmu.edu.vn"),
    OrgSeed("bvu", "university", "Trường Đại học Bà Rịa – Vũng Tàu", "Ba Ria – Vung Tau University",
            "hcm", "brvt", ("chem_pharma_rubber_plastics", "renewable_energy", "mechanical"),
            website="https://bvu.edu.vn"),
    OrgSeed("iuh", "university", "Trường Đại học Công nghiệp TP.HCM",
            "Industrial University of Ho Chi Minh City", "hcm", "hcm",
            ("mechanical", "chem_pharma_rubber_plastics", "food_processing", "electronics_it")),
    OrgSeed("hcmute", "university", "Trường Đại học Sư phạm Kỹ thuật TP.HCM",
            "HCMC University of Technology and Education", "hcm", "hcm",
            ("mechanical", "electronics_it", "renewable_energy", "ai")),
    OrgSeed("ctu", "university", "Trường Đại học Cần Thơ", "Can Tho University", "can_tho",
            "national", ("food_processing", "biotechnology", "digital_green_transition", "other")),
]  # fmt: skip

ENTERPRISES = [
    OrgSeed("saigonxanh", "enterprise", "Công ty CP Thực phẩm Nông sản Sài Gòn Xanh",
            "Saigon Xanh Agri-Food JSC", "hcm", "hcm", ("food_processing",)),
    OrgSeed("cuulongphat", "enterprise", "Công ty TNHH Chế biến Thủy sản Cửu Long Phát",
            "Cuu Long Phat Seafood Processing Co., Ltd.", "vinh_long", "hcm",
            ("food_processing", "biotechnology")),
    OrgSeed("phumyck", "enterprise", "Công ty CP Cơ khí Chính xác Phú Mỹ",
            "Phu My Precision Engineering JSC", "hcm", "brvt", ("mechanical",)),
    OrgSeed("tanuyensteel", "enterprise", "Công ty TNHH Kết cấu Thép Tân Uyên",
            "Tan Uyen Steel Structures Co., Ltd.", "hcm", "binh_duong", ("mechanical",)),
    OrgSeed("bdplastic", "enterprise", "Công ty CP Nhựa Kỹ thuật Bình Dương Xanh",
            "Binh Duong Xanh Engineering Plastics JSC", "hcm", "binh_duong",
            ("chem_pharma_rubber_plastics", "new_materials")),
    OrgSeed("phuongnampharma", "enterprise", "Công ty CP Dược phẩm Thảo mộc Phương Nam",
            "Phuong Nam Herbal Pharma JSC", "hcm", "hcm",
            ("chem_pharma_rubber_plastics", "biotechnology")),
    OrgSeed("dautiengrubber", "enterprise", "Công ty TNHH Cao su Kỹ thuật Dầu Tiếng",
            "Dau Tieng Technical Rubber Co., Ltd.", "hcm", "binh_duong",
            ("chem_pharma_rubber_plastics",)),
    OrgSeed("quangtrungelec", "enterprise", "Công ty CP Điện tử Thông minh Quang Trung",
            "Quang Trung Smart Electronics JSC", "hcm", "hcm", ("electronics_it", "ai")),
    OrgSeed("saomaiso", "enterprise", "Công ty CP Phần mềm Sao Mai Số", "Sao Mai Digital Software JSC",
            "hcm", "hcm", ("ai", "digital_green_transition", "electronics_it")),
    OrgSeed("songsaigonchip", "enterprise", "Công ty TNHH Vi mạch Sông Sài Gòn",
            "Song Saigon Microchips Co., Ltd.", "hcm", "hcm", ("semiconductors", "electronics_it")),
    OrgSeed("longsonenergy", "enterprise", "Công ty CP Năng lượng Xanh Long Sơn",
            "Long Son Green Energy JSC", "hcm", "brvt", ("renewable_energy",)),
    OrgSeed("vthoadau", "enterprise", "Công ty CP Hóa dầu Vũng Tàu", "Vung Tau Petrochemicals JSC",
            "hcm", "brvt", ("chem_pharma_rubber_plastics", "new_materials")),
    OrgSeed("cuchiagri", "enterprise", "Công ty CP Nông nghiệp Công nghệ cao Củ Chi",
            "Cu Chi High-Tech Agriculture JSC", "hcm", "hcm",
            ("biotechnology", "food_processing", "digital_green_transition")),
    OrgSeed("dongnaimaterials", "enterprise", "Công ty TNHH Vật liệu Xây dựng Xanh Đồng Nai",
            "Dong Nai Green Building Materials Co., Ltd.", "dong_nai", "hcm",
            ("new_materials", "digital_green_transition")),
    OrgSeed("caimeplogistics", "enterprise", "Công ty CP Cảng và Logistics Cái Mép",
            "Cai Mep Port and Logistics JSC", "hcm", "brvt",
            ("mechanical", "electronics_it", "digital_green_transition")),
    OrgSeed("tanphutextile", "enterprise", "Công ty TNHH Dệt nhuộm Tân Phú Trung",
            "Tan Phu Trung Textile Dyeing Co., Ltd.", "hcm", "hcm",
            ("chem_pharma_rubber_plastics", "digital_green_transition", "ai")),
    OrgSeed("tayninhstarch", "enterprise", "Công ty CP Tinh bột sắn Tây Ninh",
            "Tay Ninh Tapioca Starch JSC", "tay_ninh", "national",
            ("food_processing", "renewable_energy", "other")),
]  # fmt: skip

VALUATION_FIRM_SLUG = "vietipvalue"

BROKERS = [
    OrgSeed("saophuongnam", "broker_firm",
            "Công ty TNHH Tư vấn Chuyển giao Công nghệ Sao Phương Nam",
            "Sao Phuong Nam Technology Transfer Consulting Co., Ltd.", "hcm", "hcm",
            people=(("moigioi.spn", "Phạm Thị Ngọc Hân", ("broker",)),)),
    OrgSeed(VALUATION_FIRM_SLUG, "broker_firm", "Công ty CP Thẩm định giá Tài sản Trí tuệ Việt",
            "Viet IP Asset Valuation JSC", "hcm", "hcm",
            description="Doanh nghiệp thẩm định giá đủ điều kiện, chuyên định giá công nghệ và "
                        "tài sản trí tuệ."),
    OrgSeed("anhduongip", "broker_firm", "Văn phòng Sở hữu trí tuệ Ánh Dương",
            "Anh Duong IP Office", "hcm", "hcm"),
]  # fmt: skip

PARTNER_EXCHANGES = [
    OrgSeed("san-brvt", "partner_exchange", "Sàn giao dịch công nghệ Bà Rịa – Vũng Tàu",
            "Ba Ria – Vung Tau Technology Exchange", "hcm", "brvt"),
    OrgSeed("san-binhduong", "partner_exchange", "Sàn giao dịch công nghệ Bình Dương",
            "Binh Duong Technology Exchange", "hcm", "binh_duong"),
    OrgSeed("techport", "partner_exchange", "Sàn giao dịch công nghệ quốc gia (techport.vn)",
            "National Technology Exchange (techport.vn)", "ha_noi", "national",
            website="https://techport.vn"),
]  # fmt: skip

ALL_ORGANISATIONS: list[OrgSeed] = [
    OPERATOR,
    *INSTITUTES,
    *UNIVERSITIES,
    *ENTERPRISES,
    *BROKERS,
    *PARTNER_EXCHANGES,
]
SUPPLIERS: list[OrgSeed] = [*INSTITUTES, *UNIVERSITIES]

FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE_NAMES = ["Văn", "Thị", "Minh", "Hoàng", "Thanh", "Ngọc", "Quốc", "Đức", "Bảo", "Thu"]
GIVEN_NAMES = [
    "An", "Bình", "Châu", "Dũng", "Giang", "Hạnh", "Hiếu", "Khoa", "Lan", "Long", "Mai", "Nam",
    "Nhung", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trí", "Tuấn", "Uyên", "Việt", "Xuân", "Yến",
]  # fmt: skip
