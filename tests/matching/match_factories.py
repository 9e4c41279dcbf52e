"""A varied catalogue of realistic listings for matching tests (titles and descriptions as
suppliers write them), and builders for needs made from a listing's own text."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import Organisation, OrganisationKind
from app.listings.models import Listing, ListingKind
from app.needs.models import Need
from tests.factories import create_listing, create_need, create_organisation

# (title_vi, technical_description, sectors, trl, region)
CATALOGUE: list[tuple[str, str, list[str], int | None, str]] = [
    (
        "Công nghệ sấy lạnh bơm nhiệt cho trái cây và rau củ",
        "Buồng sấy lạnh dùng bơm nhiệt tách ẩm, nhiệt độ sấy 35–45 °C, giữ màu và vitamin "
        "của xoài, thanh long, mít; điều khiển độ ẩm tự động bằng PLC.",
        ["food_processing"],
        7,
        "hcm",
    ),
    (
        "Hệ thống xử lý nước thải chế biến thủy sản bằng công nghệ MBBR",
        "Bể sinh học giá thể di động MBBR kết hợp lắng lamella, xử lý COD, nitơ và phốt pho; "
        "nước sau xử lý đạt QCVN 11-MT:2015/BTNMT cột A.",
        ["food_processing"],
        8,
        "ca_mau",
    ),
    (
        "Chế phẩm vi sinh xử lý phụ phẩm nông nghiệp thành phân hữu cơ",
        "Tổ hợp chủng Bacillus và Trichoderma phân giải cellulose, ủ rơm rạ và vỏ cà phê "
        "thành phân bón hữu cơ trong 30 ngày.",
        ["biotechnology"],
        6,
        "lam_dong",
    ),
    (
        "Vật liệu nano bạc kháng khuẩn phủ bề mặt thiết bị y tế",
        "Dung dịch keo nano bạc kích thước 10–20 nm ổn định bằng chitosan, phủ lên inox và "
        "nhựa y tế, diệt 99,9 % vi khuẩn E. coli và S. aureus.",
        ["new_materials"],
        5,
        "hcm",
    ),
    (
        "Phần mềm nhận dạng lỗi sản phẩm trên dây chuyền bằng thị giác máy tính",
        "Mô hình học sâu phát hiện vết nứt, trầy xước trên bề mặt linh kiện cơ khí qua camera "
        "công nghiệp, tốc độ 120 sản phẩm mỗi phút, tích hợp PLC.",
        ["ai", "mechanical"],
        7,
        "hcm",
    ),
    (
        "Dây chuyền tái chế nhựa PET thành hạt nhựa đạt chuẩn thực phẩm",
        "Rửa nóng, nghiền, tách nhãn và trùng ngưng pha rắn SSP để tái chế chai PET thành hạt "
        "rPET dùng lại cho bao bì thực phẩm.",
        ["chem_pharma_rubber_plastics"],
        8,
        "binh_duong",
    ),
    (
        "Hệ thống điện mặt trời áp mái kết hợp lưu trữ pin lithium cho nhà xưởng",
        "Inverter hybrid, pin lithium sắt phốt phát, phần mềm quản lý năng lượng tối ưu giờ "
        "cao điểm, giảm 40 % tiền điện cho nhà xưởng.",
        ["renewable_energy"],
        9,
        "dong_nai",
    ),
    (
        "Quy trình chiết xuất tinh dầu sả bằng chưng cất hơi nước quy mô công nghiệp",
        "Nồi chưng cất inox 2 m³, thu hồi tinh dầu sả chanh hiệu suất 0,8 %, tách nước "
        "bằng bình florentine.",
        ["chem_pharma_rubber_plastics"],
        7,
        "tay_ninh",
    ),
    (
        "Robot hàn tự động cho kết cấu thép nhà tiền chế",
        "Cánh tay robot 6 trục, cảm biến dò đường hàn bằng laser, lập trình offline, năng "
        "suất gấp 3 lần hàn tay.",
        ["mechanical"],
        8,
        "hcm",
    ),
    (
        "Cảm biến IoT giám sát chất lượng nước ao nuôi tôm",
        "Đầu đo oxy hòa tan, pH, nhiệt độ, độ mặn; truyền LoRa về điện thoại, cảnh báo khi "
        "oxy thấp và tự bật quạt nước.",
        ["electronics_it"],
        6,
        "can_tho",
    ),
    (
        "Giống lúa chịu mặn OM cho vùng Đồng bằng sông Cửu Long",
        "Giống lúa chịu mặn 4‰, thời gian sinh trưởng 95 ngày, năng suất 6 tấn/ha, đã khảo "
        "nghiệm tại Sóc Trăng và Bạc Liêu.",
        ["biotechnology"],
        8,
        "vinh_long",
    ),
    (
        "Công nghệ lên men nước mắm rút ngắn thời gian bằng enzyme",
        "Bổ sung enzyme protease thủy phân cá cơm, rút thời gian ủ chượp từ 12 tháng xuống "
        "4 tháng, giữ hương vị truyền thống.",
        ["food_processing"],
        6,
        "an_giang",
    ),
    (
        "Thiết bị in 3D kim loại bằng laser cho khuôn mẫu",
        "Công nghệ nung chảy bột kim loại chọn lọc bằng laser, in khuôn có kênh làm mát "
        "conformal, giảm thời gian chu kỳ ép nhựa.",
        ["mechanical", "new_materials"],
        6,
        "hcm",
    ),
    (
        "Vắc xin phòng bệnh gan thận mủ cho cá tra",
        "Vắc xin bất hoạt dạng ngâm và tiêm phòng Edwardsiella ictaluri cho cá tra giống, "
        "tỷ lệ bảo hộ trên 80 %.",
        ["biotechnology"],
        7,
        "dong_thap",
    ),
    (
        "Phần mềm truy xuất nguồn gốc nông sản bằng mã QR và blockchain",
        "Ghi nhật ký canh tác điện tử, in tem QR, lưu vết chuỗi cung ứng trên blockchain, "
        "kết nối sàn thương mại điện tử.",
        ["electronics_it", "digital_green_transition"],
        8,
        "hcm",
    ),
    (
        "Gạch không nung từ tro xỉ nhiệt điện",
        "Phối trộn tro bay, xỉ đáy lò và xi măng, ép rung tạo gạch block cường độ 7,5 MPa, "
        "tiết kiệm đất sét nung.",
        ["new_materials"],
        8,
        "dong_nai",
    ),
    (
        "Chip vi điều khiển tiết kiệm năng lượng cho thiết bị đeo",
        "Thiết kế vi mạch RISC-V 32 bit công suất thấp, tiến trình 40 nm, chế độ ngủ 1 µA, "
        "tích hợp Bluetooth Low Energy.",
        ["semiconductors"],
        5,
        "hcm",
    ),
    (
        "Khí sinh học từ chất thải chăn nuôi heo quy mô trang trại",
        "Hầm biogas HDPE phủ kín, tách H2S bằng phoi sắt, máy phát điện chạy biogas 50 kW "
        "cho trại 2.000 heo.",
        ["renewable_energy"],
        8,
        "tay_ninh",
    ),
    (
        "Bao bì sinh học phân hủy từ tinh bột sắn",
        "Màng nhựa sinh học từ tinh bột sắn biến tính và PBAT, phân hủy trong 6 tháng ở điều "
        "kiện ủ compost, dùng làm túi đựng thực phẩm.",
        ["chem_pharma_rubber_plastics", "new_materials"],
        6,
        "tay_ninh",
    ),
    (
        "Hệ thống tưới nhỏ giọt thông minh cho cây sầu riêng",
        "Bộ điều khiển tưới theo độ ẩm đất và dự báo thời tiết, châm phân tự động, điều khiển "
        "qua ứng dụng điện thoại.",
        ["electronics_it"],
        7,
        "dong_thap",
    ),
    (
        "Kit chẩn đoán nhanh bệnh sốt xuất huyết bằng kỹ thuật LAMP",
        "Phát hiện RNA virus Dengue trong 40 phút ở nhiệt độ 65 °C, đọc kết quả bằng mắt "
        "thường, không cần máy PCR.",
        ["biotechnology"],
        5,
        "hcm",
    ),
    (
        "Máy bóc vỏ hạt điều tự động năng suất 1 tấn/giờ",
        "Dao cắt định hình theo kích cỡ hạt, phân loại hạt bằng camera, tỷ lệ nhân nguyên "
        "trên 90 %.",
        ["mechanical", "food_processing"],
        7,
        "binh_duong",
    ),
]


async def supplier(session: AsyncSession, **kw: Any) -> Organisation:
    return await create_organisation(session, **kw)


async def enterprise(session: AsyncSession, **kw: Any) -> Organisation:
    return await create_organisation(session, kind=OrganisationKind.enterprise, **kw)


async def create_catalogue(session: AsyncSession, **overrides: Any) -> list[Listing]:
    """Every CATALOGUE entry as a published technology listing of its own supplier."""
    rows = []
    for title, description, sectors, trl, region in CATALOGUE:
        values: dict[str, Any] = {
            "title_vi": title,
            "title_en": None,
            "summary_vi": None,
            "technical_description": description,
            "sectors": sectors,
            "trl": trl,
            "region": region,
            "kind": ListingKind.technology,
        }
        values.update(overrides)
        rows.append(await create_listing(session, await supplier(session), **values))
    return rows


async def need_from_listing(
    session: AsyncSession, listing: Listing, organisation: Organisation | None = None, **kw: Any
) -> Need:
    """A need whose text is the listing's own title and technical description."""
    values: dict[str, Any] = {
        "title_vi": listing.title_vi,
        "problem_statement": listing.technical_description,
        "sectors": [],
        "min_trl": None,
        "region": None,
    }
    values.update(kw)
    return await create_need(session, organisation or await enterprise(session), **values)
