"""vocabularies: seed the controlled vocabularies (sectors, TRL, IP types, VSIC…)

A frozen copy of the terms as agreed on 2026-11-22. Later changes to a vocabulary go through the
operator's taxonomy API or a new data migration; this file must not change.

Revision ID: 7a0c5b10e003
Revises: 351ceb237bfc
Create Date: 2026-11-22 06:50:00+00:00
"""

import uuid
from collections.abc import Sequence
from typing import Any, NamedTuple

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "7a0c5b10e003"
down_revision: str | None = "351ceb237bfc"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Stable ids: uuid5 of "vocabulary:code", so a re-run or another database gets the same ids.
NAMESPACE = uuid.UUID("6f1d3c2a-5b1e-4c55-9a51-7e0c5b10e003")

LAW_TT = "Luật Chuyển giao công nghệ 07/2017/QH14"
LAW_IP = "Luật Sở hữu trí tuệ 50/2005/QH11 (sửa đổi 2009, 2019, 2022)"
DEC_3628 = "Quyết định 3628/QĐ-UBND (31/12/2025)"
DEC_1131 = "Quyết định 1131/QĐ-TTg (2025)"
VSIC = "Quyết định 27/2018/QĐ-TTg (VSIC 2018)"
TRL_SRC = "EU Horizon 2020, General Annexes, part G (TRL)"
PLAN_177 = "Kế hoạch 177/KH-UBND (25/11/2025)"
PLATFORM = "techx"


class Term(NamedTuple):
    code: str
    label_vi: str
    label_en: str
    extra: dict[str, Any]
    description: tuple[str, str] | None


def term(
    code: str,
    label_vi: str,
    label_en: str,
    extra: dict[str, Any] | None = None,
    description: tuple[str, str] | None = None,
) -> Term:
    return Term(code, label_vi, label_en, extra or {}, description)


VOCABULARIES: dict[str, tuple[str, list[Term]]] = {
    "listing_kind": (
        DEC_3628,
        [
            term(
                "equipment",
                "Máy móc, thiết bị, dây chuyền",
                "Machinery, equipment and production lines",
                extra={"tier": "base"},
            ),
            term(
                "research_result",
                "Kết quả nghiên cứu khoa học",
                "Research results",
                extra={"tier": "middle"},
            ),
            term(
                "st_service",
                "Dịch vụ KH&CN và dữ liệu công nghệ",
                "S&T services and technology data",
                extra={"tier": "middle"},
            ),
            term(
                "technology",
                "Công nghệ và bí quyết kỹ thuật (know-how)",
                "Technology and know-how",
                extra={"tier": "upper"},
            ),
            term(
                "ip_right",
                "Quyền sở hữu trí tuệ",
                "Intellectual property rights",
                extra={"tier": "apex"},
            ),
        ],
    ),
    "pyramid_tier": (
        DEC_3628,
        [
            term(
                "base",
                "Đáy tháp",
                "Base",
                description=("Máy móc, thiết bị, dây chuyền.", "Machinery and equipment."),
            ),
            term(
                "middle",
                "Tầng trung gian",
                "Middle",
                description=(
                    "Kết quả nghiên cứu, dịch vụ KH&CN và dữ liệu công nghệ.",
                    "Research results, S&T services and technology data.",
                ),
            ),
            term(
                "upper",
                "Tầng cao",
                "Upper",
                description=("Công nghệ và bí quyết kỹ thuật.", "Technology and know-how."),
            ),
            term(
                "apex",
                "Đỉnh tháp",
                "Apex",
                description=("Quyền sở hữu trí tuệ.", "Intellectual property rights."),
            ),
        ],
    ),
    "trl": (
        TRL_SRC,
        [
            term(
                "1",
                "TRL 1 – Nguyên lý cơ bản đã được quan sát",
                "TRL 1 – Basic principles observed",
                description=(
                    "Nghiên cứu khoa học bắt đầu chuyển sang nghiên cứu ứng dụng; chưa có khái "
                    "niệm sản phẩm.",
                    "Scientific research begins to be translated into applied research.",
                ),
            ),
            term(
                "2",
                "TRL 2 – Khái niệm công nghệ đã được hình thành",
                "TRL 2 – Technology concept formulated",
                description=(
                    "Ứng dụng thực tiễn được đề xuất dựa trên nguyên lý; chưa có bằng chứng thực "
                    "nghiệm.",
                    "Practical applications are proposed; no experimental proof yet.",
                ),
            ),
            term(
                "3",
                "TRL 3 – Chứng minh khái niệm bằng thực nghiệm",
                "TRL 3 – Experimental proof of concept",
                description=(
                    "Nghiên cứu phân tích và thí nghiệm chứng minh các chức năng chính của công "
                    "nghệ.",
                    "Analytical and laboratory studies prove the critical functions.",
                ),
            ),
            term(
                "4",
                "TRL 4 – Công nghệ được kiểm chứng trong phòng thí nghiệm",
                "TRL 4 – Technology validated in lab",
                description=(
                    "Các thành phần cơ bản được tích hợp và kiểm chứng trong phòng thí nghiệm.",
                    "Basic components are integrated and validated in the laboratory.",
                ),
            ),
            term(
                "5",
                "TRL 5 – Công nghệ được kiểm chứng trong môi trường liên quan",
                "TRL 5 – Technology validated in relevant environment",
                description=(
                    "Kiểm chứng trong môi trường liên quan (môi trường công nghiệp đối với công "
                    "nghệ then chốt).",
                    "Validated in a relevant (industrially relevant) environment.",
                ),
            ),
            term(
                "6",
                "TRL 6 – Công nghệ được trình diễn trong môi trường liên quan",
                "TRL 6 – Technology demonstrated in relevant environment",
                description=(
                    "Mô hình hoặc nguyên mẫu được trình diễn trong môi trường liên quan.",
                    "A model or prototype is demonstrated in a relevant environment.",
                ),
            ),
            term(
                "7",
                "TRL 7 – Nguyên mẫu hệ thống được trình diễn trong môi trường vận hành thực tế",
                "TRL 7 – System prototype demonstration in operational environment",
                description=(
                    "Nguyên mẫu gần hoàn chỉnh được trình diễn trong điều kiện vận hành thực tế.",
                    "A near-final prototype is demonstrated in operational conditions.",
                ),
            ),
            term(
                "8",
                "TRL 8 – Hệ thống hoàn chỉnh và đủ điều kiện",
                "TRL 8 – System complete and qualified",
                description=(
                    "Hệ thống đã hoàn thiện và được thử nghiệm, chứng nhận đạt yêu cầu.",
                    "The system is complete and qualified through test and demonstration.",
                ),
            ),
            term(
                "9",
                "TRL 9 – Hệ thống thực tế đã được chứng minh trong môi trường vận hành",
                "TRL 9 – Actual system proven in operational environment",
                description=(
                    "Công nghệ đã được ứng dụng thành công trong sản xuất, kinh doanh (sản xuất "
                    "cạnh tranh).",
                    "The technology is proven in operation (competitive manufacturing).",
                ),
            ),
        ],
    ),
    "ip_right_type": (
        LAW_IP,
        [
            term("invention_patent", "Sáng chế (Bằng độc quyền sáng chế)", "Invention patent"),
            term(
                "utility_solution",
                "Giải pháp hữu ích (Bằng độc quyền giải pháp hữu ích)",
                "Utility solution",
            ),
            term("industrial_design", "Kiểu dáng công nghiệp", "Industrial design"),
            term(
                "ic_layout_design",
                "Thiết kế bố trí mạch tích hợp bán dẫn",
                "Layout design of semiconductor integrated circuits",
            ),
            term("trademark", "Nhãn hiệu", "Trademark"),
            term("geographical_indication", "Chỉ dẫn địa lý", "Geographical indication"),
            term("trade_secret", "Bí mật kinh doanh", "Trade secret"),
            term(
                "copyright",
                "Quyền tác giả (bao gồm chương trình máy tính)",
                "Copyright (including computer programs)",
            ),
            term("plant_variety", "Quyền đối với giống cây trồng", "Plant variety rights"),
        ],
    ),
    "ip_status": (
        PLATFORM,
        [
            term("none", "Chưa có quyền sở hữu trí tuệ", "No IP protection"),
            term("secret_know_how", "Bí quyết kỹ thuật (giữ bí mật)", "Secret know-how"),
            term("pending", "Đang nộp đơn", "Application pending"),
            term("granted", "Đã cấp văn bằng bảo hộ", "Granted"),
            term("expired", "Hết hiệu lực bảo hộ", "Expired"),
            term("rejected", "Bị từ chối cấp văn bằng", "Rejected"),
        ],
    ),
    "ip_declaration": (
        PLATFORM,
        [
            term("none", "Không có quyền sở hữu trí tuệ", "No IP rights"),
            term(
                "secret_know_how",
                "Bí quyết kỹ thuật, có cam kết của chủ sở hữu",
                "Secret know-how, declared by the owner",
            ),
            term(
                "rights",
                "Có quyền sở hữu trí tuệ (văn bằng hoặc đơn)",
                "Registered or filed rights",
            ),
        ],
    ),
    "ip_right_status": (
        LAW_IP,
        [
            term("pending", "Đang nộp đơn", "Application pending"),
            term("granted", "Đã cấp văn bằng bảo hộ", "Granted"),
            term("expired", "Hết hiệu lực", "Expired"),
            term("rejected", "Bị từ chối", "Rejected"),
        ],
    ),
    "sector": (
        "Kế hoạch 200/KH-UBND (09/12/2025)",
        [
            term(
                "mechanical",
                "Cơ khí",
                "Mechanical engineering",
                extra={"priority": True, "group": "key"},
            ),
            term(
                "electronics_it",
                "Điện tử – công nghệ thông tin",
                "Electronics and IT",
                extra={"priority": True, "group": "key"},
            ),
            term(
                "chem_pharma_rubber_plastics",
                "Hóa dược – cao su nhựa",
                "Chemicals, pharmaceuticals, rubber and plastics",
                extra={"priority": True, "group": "key"},
            ),
            term(
                "food_processing",
                "Chế biến lương thực – thực phẩm",
                "Food processing",
                extra={"priority": True, "group": "key"},
            ),
            term(
                "ai",
                "Trí tuệ nhân tạo",
                "Artificial intelligence",
                extra={"priority": False, "group": "potential"},
            ),
            term(
                "semiconductors",
                "Vi mạch – bán dẫn",
                "Semiconductors and microchips",
                extra={"priority": False, "group": "potential"},
            ),
            term(
                "biotechnology",
                "Công nghệ sinh học",
                "Biotechnology",
                extra={"priority": False, "group": "potential"},
            ),
            term(
                "new_materials",
                "Vật liệu mới",
                "New materials",
                extra={"priority": False, "group": "potential"},
            ),
            term(
                "renewable_energy",
                "Năng lượng tái tạo",
                "Renewable energy",
                extra={"priority": False, "group": "potential"},
            ),
            term(
                "digital_green_transition",
                "Chuyển đổi số và chuyển đổi xanh",
                "Digital and green transition",
                extra={"priority": False, "group": "potential"},
            ),
            term(
                "other",
                "Lĩnh vực khác",
                "Other sectors",
                extra={"priority": False, "group": "other"},
            ),
        ],
    ),
    "vsic_section": (
        VSIC,
        [
            term("A", "Nông nghiệp, lâm nghiệp và thủy sản", "Agriculture, forestry and fishing"),
            term("B", "Khai khoáng", "Mining and quarrying"),
            term("C", "Công nghiệp chế biến, chế tạo", "Manufacturing"),
            term(
                "D",
                "Sản xuất và phân phối điện, khí đốt, nước nóng, hơi nước và điều hòa không khí",
                "Electricity, gas, steam and air conditioning supply",
            ),
            term(
                "E",
                "Cung cấp nước; hoạt động quản lý và xử lý rác thải, nước thải",
                "Water supply; sewerage, waste management and remediation activities",
            ),
            term("F", "Xây dựng", "Construction"),
            term(
                "G",
                "Bán buôn và bán lẻ; sửa chữa ô tô, mô tô, xe máy và xe có động cơ khác",
                "Wholesale and retail trade; repair of motor vehicles and motorcycles",
            ),
            term("H", "Vận tải kho bãi", "Transportation and storage"),
            term("I", "Dịch vụ lưu trú và ăn uống", "Accommodation and food service activities"),
            term("J", "Thông tin và truyền thông", "Information and communication"),
            term(
                "K",
                "Hoạt động tài chính, ngân hàng và bảo hiểm",
                "Financial and insurance activities",
            ),
            term("L", "Hoạt động kinh doanh bất động sản", "Real estate activities"),
            term(
                "M",
                "Hoạt động chuyên môn, khoa học và công nghệ",
                "Professional, scientific and technical activities",
            ),
            term(
                "N",
                "Hoạt động hành chính và dịch vụ hỗ trợ",
                "Administrative and support service activities",
            ),
            term(
                "O",
                "Hoạt động của Đảng Cộng sản, tổ chức chính trị – xã hội, quản lý Nhà nước, an "
                "ninh quốc phòng; bảo đảm xã hội bắt buộc",
                "Activities of the Communist Party, socio-political organisations, public "
                "administration and defence; compulsory social security",
            ),
            term("P", "Giáo dục và đào tạo", "Education"),
            term(
                "Q", "Y tế và hoạt động trợ giúp xã hội", "Human health and social work activities"
            ),
            term("R", "Nghệ thuật, vui chơi và giải trí", "Arts, entertainment and recreation"),
            term("S", "Hoạt động dịch vụ khác", "Other service activities"),
            term(
                "T",
                "Hoạt động làm thuê các công việc trong các hộ gia đình, sản xuất sản phẩm vật "
                "chất và dịch vụ tự tiêu dùng của hộ gia đình",
                "Activities of households as employers; undifferentiated goods- and "
                "services-producing activities of households for own use",
            ),
            term(
                "U",
                "Hoạt động của các tổ chức và cơ quan quốc tế",
                "Activities of extraterritorial organisations and bodies",
            ),
        ],
    ),
    "transfer_form": (
        LAW_TT,
        [
            term(
                "ownership_assignment",
                "Chuyển giao quyền sở hữu công nghệ",
                "Assignment of ownership",
            ),
            term(
                "licence_exclusive",
                "Chuyển giao quyền sử dụng công nghệ (độc quyền)",
                "Exclusive licence",
            ),
            term(
                "licence_non_exclusive",
                "Chuyển giao quyền sử dụng công nghệ (không độc quyền)",
                "Non-exclusive licence",
            ),
            term(
                "capital_contribution",
                "Góp vốn bằng công nghệ",
                "Capital contribution with technology",
            ),
            term(
                "joint_development",
                "Hợp tác nghiên cứu, phát triển, hoàn thiện công nghệ",
                "Joint development",
            ),
            term("equipment_sale", "Mua bán máy móc, thiết bị", "Equipment sale"),
            term("st_service", "Cung cấp dịch vụ khoa học và công nghệ", "S&T service"),
        ],
    ),
    "transfer_method": (
        LAW_TT + ", Điều 6",
        [
            term(
                "documents", "Chuyển giao tài liệu về công nghệ", "Transfer of technology documents"
            ),
            term(
                "training",
                "Đào tạo cho bên nhận chuyển giao nắm vững và làm chủ công nghệ",
                "Training the transferee to master the technology",
            ),
            term(
                "experts",
                "Cử chuyên gia tư vấn kỹ thuật cho bên nhận chuyển giao đưa công nghệ vào sản xuất",
                "Sending technical experts to put the technology into production",
            ),
            term(
                "equipment",
                "Chuyển giao máy móc, thiết bị kèm theo đối tượng công nghệ",
                "Transfer of machinery and equipment accompanying the technology",
            ),
            term(
                "other",
                "Phương thức chuyển giao khác theo quy định của pháp luật",
                "Other methods provided by law",
            ),
        ],
    ),
    "contract_form": (
        LAW_TT + ", Điều 5",
        [
            term("standalone", "Chuyển giao công nghệ độc lập", "Standalone technology transfer"),
            term(
                "part_of_project",
                "Phần chuyển giao công nghệ trong dự án hoặc hợp đồng",
                "Technology transfer as part of a project or contract",
                description=(
                    "Dự án đầu tư; hợp đồng nhượng quyền thương mại; hợp đồng chuyển giao quyền "
                    "sở hữu công nghiệp; hợp đồng mua bán máy móc, thiết bị kèm theo đối tượng "
                    "công nghệ.",
                    "Investment project; franchise; assignment of industrial property rights; "
                    "sale of machinery and equipment accompanying the technology.",
                ),
            ),
            term(
                "other",
                "Chuyển giao công nghệ bằng hình thức khác theo quy định của pháp luật",
                "Other forms provided by law",
            ),
        ],
    ),
    "price_type": (
        PLATFORM,
        [
            term("indicative", "Giá tham khảo", "Indicative price"),
            term("floor", "Giá sàn (tối thiểu)", "Floor price"),
            term("firm", "Giá cố định", "Firm price"),
            term("negotiable", "Giá thỏa thuận", "Negotiable"),
            term("on_request", "Liên hệ để biết giá", "Price on request"),
        ],
    ),
    "source_exchange": (
        DEC_3628,
        [
            term("hcm", "Sàn giao dịch công nghệ TP.HCM", "HCMC Technology Exchange"),
            term(
                "brvt",
                "Sàn giao dịch công nghệ Bà Rịa – Vũng Tàu",
                "Ba Ria – Vung Tau Technology Exchange",
            ),
            term(
                "binh_duong", "Sàn giao dịch công nghệ Bình Dương", "Binh Duong Technology Exchange"
            ),
            term(
                "national",
                "Sàn giao dịch công nghệ quốc gia (techport.vn)",
                "National Technology Exchange (techport.vn)",
            ),
            term("other", "Sàn giao dịch công nghệ khác", "Other partner exchange"),
        ],
    ),
    "region": (
        "Nghị quyết 202/2025/QH15 (sắp xếp đơn vị hành chính cấp tỉnh)",
        [
            term(
                "hcm",
                "TP. Hồ Chí Minh",
                "Ho Chi Minh City",
                description=(
                    "Bao gồm địa bàn Bà Rịa – Vũng Tàu và Bình Dương cũ.",
                    "Includes the former Ba Ria – Vung Tau and Binh Duong provinces.",
                ),
            ),
            term("dong_nai", "Đồng Nai", "Dong Nai"),
            term("tay_ninh", "Tây Ninh", "Tay Ninh"),
            term("lam_dong", "Lâm Đồng", "Lam Dong"),
            term("dong_thap", "Đồng Tháp", "Dong Thap"),
            term("vinh_long", "Vĩnh Long", "Vinh Long"),
            term("an_giang", "An Giang", "An Giang"),
            term("can_tho", "TP. Cần Thơ", "Can Tho City"),
            term("ca_mau", "Cà Mau", "Ca Mau"),
            term("ha_noi", "TP. Hà Nội", "Ha Noi"),
            term("da_nang", "TP. Đà Nẵng", "Da Nang City"),
            term("other", "Địa phương khác", "Other province"),
        ],
    ),
    "listing_status": (
        PLATFORM,
        [
            term("draft", "Bản nháp", "Draft"),
            term("submitted", "Chờ duyệt", "Submitted for review"),
            term("published", "Đã công bố", "Published"),
            term("rejected", "Bị từ chối", "Rejected"),
            term("archived", "Đã lưu trữ", "Archived"),
        ],
    ),
    "need_status": (
        PLATFORM,
        [
            term("draft", "Bản nháp", "Draft"),
            term("submitted", "Chờ duyệt", "Submitted for review"),
            term("published", "Đã công bố", "Published"),
            term("rejected", "Bị từ chối", "Rejected"),
            term("archived", "Đã lưu trữ", "Archived"),
            term("fulfilled", "Đã đáp ứng", "Fulfilled"),
            term("expired", "Hết hạn", "Expired"),
        ],
    ),
    "need_visibility": (
        PLATFORM,
        [
            term(
                "public",
                "Công khai",
                "Public",
                description=(
                    "Mọi người thấy nhu cầu và tên doanh nghiệp.",
                    "Everyone sees the need and the company.",
                ),
            ),
            term(
                "anonymous",
                "Ẩn danh doanh nghiệp",
                "Anonymous",
                description=(
                    "Mọi người thấy nhu cầu nhưng không thấy doanh nghiệp đăng.",
                    "Everyone sees the need, not who posted it.",
                ),
            ),
            term(
                "restricted",
                "Hạn chế",
                "Restricted",
                description=(
                    "Chỉ bên cung đã đăng nhập, nhà môi giới và cán bộ sàn.",
                    "Only signed-in suppliers, brokers and operator staff.",
                ),
            ),
        ],
    ),
    "equipment_condition": (
        PLATFORM,
        [
            term("new", "Mới", "New"),
            term("used", "Đã qua sử dụng", "Used"),
            term("refurbished", "Đã tân trang", "Refurbished"),
        ],
    ),
    "valuation_method": (
        "Thông tư 10/2019/TT-BKHCN (thẩm định giá công nghệ)",
        [
            term("cost", "Cách tiếp cận từ chi phí", "Cost approach"),
            term("market", "Cách tiếp cận từ thị trường", "Market approach"),
            term("income", "Cách tiếp cận từ thu nhập", "Income approach"),
        ],
    ),
    "organisation_kind": (
        PLATFORM,
        [
            term(
                "institute",
                "Viện, tổ chức khoa học và công nghệ",
                "Research institute / S&T organisation",
            ),
            term("university", "Trường đại học", "University"),
            term("enterprise", "Doanh nghiệp", "Enterprise"),
            term("broker_firm", "Tổ chức trung gian, môi giới công nghệ", "Technology broker firm"),
            term(
                "partner_exchange", "Sàn giao dịch công nghệ đối tác", "Partner technology exchange"
            ),
            term("operator", "Đơn vị vận hành sàn", "Exchange operator"),
        ],
    ),
    "service_request_type": (
        PLAN_177,
        [
            term("introduction", "Giới thiệu", "Introduction"),
            term("consulting", "Tư vấn", "Consulting"),
            term("brokerage", "Môi giới", "Brokerage"),
            term("valuation_support", "Hỗ trợ định giá", "Valuation support"),
            term("technical_support", "Hỗ trợ kỹ thuật", "Technical support"),
            term("negotiation_support", "Hỗ trợ đàm phán", "Negotiation support"),
            term("contract_signing_support", "Hỗ trợ ký kết hợp đồng", "Contract signing support"),
            term(
                "execution_support",
                "Hỗ trợ thực hiện giao dịch (sau chuyển giao)",
                "Execution (post-transfer) support",
            ),
        ],
    ),
    "connection_channel": (
        PLATFORM,
        [
            term("online", "Trực tuyến trên sàn", "Online"),
            term("broker", "Qua nhà môi giới", "Through a broker"),
            term("event", "Tại sự kiện, chợ công nghệ (techmart)", "At an event or techmart"),
            term("partner_exchange", "Qua sàn giao dịch đối tác", "Through a partner exchange"),
        ],
    ),
    "contract_type": (
        LAW_TT,
        [
            term(
                "ownership_assignment",
                "Hợp đồng chuyển giao quyền sở hữu công nghệ",
                "Technology ownership assignment",
            ),
            term(
                "licence_exclusive",
                "Hợp đồng chuyển giao quyền sử dụng công nghệ (độc quyền)",
                "Exclusive licence",
            ),
            term(
                "licence_non_exclusive",
                "Hợp đồng chuyển giao quyền sử dụng công nghệ (không độc quyền)",
                "Non-exclusive licence",
            ),
            term("equipment_sale", "Hợp đồng mua bán máy móc, thiết bị", "Equipment sale"),
            term("st_service", "Hợp đồng dịch vụ khoa học và công nghệ", "S&T service"),
            term(
                "capital_contribution",
                "Góp vốn bằng công nghệ",
                "Capital contribution with technology",
            ),
            term(
                "joint_development",
                "Hợp đồng hợp tác nghiên cứu, phát triển công nghệ",
                "Joint development",
            ),
        ],
    ),
}

# Strategic technology groups: kept separate because the national list is expected to be revised;
# operators edit it through the taxonomy API (each change is audited), old codes are deactivated.
STRATEGIC_NOTE_VI = (
    "Danh mục nhóm công nghệ chiến lược theo Quyết định 1131/QĐ-TTg (2025). Bảng này có thể chỉnh "
    "sửa và được quản lý phiên bản: khi danh mục được sửa đổi, mã cũ được ngừng sử dụng, không xóa."
)
STRATEGIC_NOTE_EN = (
    "Strategic technology groups under Decision 1131/QĐ-TTg (2025). This table is editable and "
    "versioned: when the national list is revised, old codes are deactivated, never deleted."
)
STRATEGIC_GROUPS: list[tuple[str, str]] = [
    (
        "Công nghệ trí tuệ nhân tạo, bản sao số, thực tế ảo/thực tế tăng cường",
        "Artificial intelligence, digital twins, virtual/augmented reality",
    ),
    ("Công nghệ điện toán đám mây, lượng tử, dữ liệu lớn", "Cloud, quantum and big-data computing"),
    ("Công nghệ chuỗi khối (blockchain)", "Blockchain technology"),
    ("Công nghệ mạng di động thế hệ sau (5G/6G)", "Next-generation mobile networks (5G/6G)"),
    ("Công nghệ robot và tự động hóa", "Robotics and automation"),
    ("Công nghệ chip bán dẫn", "Semiconductor chips"),
    ("Công nghệ an ninh mạng", "Cybersecurity"),
    ("Công nghệ năng lượng và vật liệu tiên tiến", "Advanced energy and materials"),
    ("Công nghệ sinh học tiên tiến", "Advanced biotechnology"),
    ("Công nghệ hàng không, vũ trụ", "Aerospace technology"),
    (
        "Công nghệ khai thác tài nguyên lòng đất, lòng biển",
        "Subsurface and deep-sea resource technology",
    ),
]


def _rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for vocabulary, (source, terms) in VOCABULARIES.items():
        for order, t in enumerate(terms, 1):
            desc_vi, desc_en = t.description or (None, None)
            rows.append(
                _row(
                    vocabulary,
                    t.code,
                    t.label_vi,
                    t.label_en,
                    order * 10,
                    source,
                    t.extra,
                    desc_vi,
                    desc_en,
                )
            )
    for number, (label_vi, label_en) in enumerate(STRATEGIC_GROUPS, 1):
        rows.append(
            _row(
                "strategic_tech_group",
                f"stg{number:02d}",
                label_vi,
                label_en,
                number * 10,
                DEC_1131,
                {"version": "2025"},
                STRATEGIC_NOTE_VI,
                STRATEGIC_NOTE_EN,
            )
        )
    return rows


def _row(
    vocabulary: str,
    code: str,
    label_vi: str,
    label_en: str,
    sort_order: int,
    source: str,
    extra: dict[str, Any],
    desc_vi: str | None,
    desc_en: str | None,
) -> dict[str, Any]:
    return {
        "id": uuid.uuid5(NAMESPACE, f"{vocabulary}:{code}"),
        "vocabulary": vocabulary,
        "code": code,
        "label_vi": label_vi,
        "label_en": label_en,
        "description_vi": desc_vi,
        "description_en": desc_en,
        "parent_code": None,
        "sort_order": sort_order,
        "source": source,
        "active": True,
        "extra": extra,
    }


vocabulary_terms = sa.table(
    "vocabulary_terms",
    sa.column("id", sa.Uuid()),
    sa.column("vocabulary", sa.String()),
    sa.column("code", sa.String()),
    sa.column("label_vi", sa.String()),
    sa.column("label_en", sa.String()),
    sa.column("description_vi", sa.Text()),
    sa.column("description_en", sa.Text()),
    sa.column("parent_code", sa.String()),
    sa.column("sort_order", sa.Integer()),
    sa.column("source", sa.String()),
    sa.column("active", sa.Boolean()),
    sa.column("extra", postgresql.JSONB()),
)


def upgrade() -> None:
    op.bulk_insert(vocabulary_terms, _rows())


def downgrade() -> None:
    ids = [row["id"] for row in _rows()]
    op.execute(vocabulary_terms.delete().where(vocabulary_terms.c.id.in_(ids)))
