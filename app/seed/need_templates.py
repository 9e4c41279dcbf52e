"""Technology needs as enterprises write them: their problem, in their own words."""

# ruff: noqa: E501  (data tables: one record per block reads better than wrapped strings)

from dataclasses import dataclass


@dataclass(frozen=True)
class NeedSeed:
    title_vi: str
    title_en: str
    sectors: tuple[str, ...]
    vsic: tuple[str, ...]
    problem: str
    outcome: str
    min_trl: int
    budget: tuple[int, int]  # million VND
    transfer_forms: tuple[str, ...]
    keywords: tuple[str, ...]


N = NeedSeed
LIC, EXC, OWN, JOINT, EQ, SVC = (
    "licence_non_exclusive", "licence_exclusive", "ownership_assignment", "joint_development",
    "equipment_sale", "st_service",
)  # fmt: skip

NEEDS: list[NeedSeed] = [
    N("Cần công nghệ sấy xoài giữ màu tự nhiên", "Mango drying that keeps the natural colour",
      ("food_processing",), ("C",),
      "Xoài sấy của công ty bị thâm màu và mất mùi sau 2 tháng; lò sấy nhiệt hiện nay tốn điện, "
      "tỷ lệ hàng loại 2 tới 15 %.",
      "Sản phẩm giữ màu vàng tự nhiên 6 tháng, giảm 30 % điện năng, công suất 1 tấn tươi/ngày.",
      6, (500, 1500), (LIC, EQ), ("sấy", "xoài", "drying")),
    N("Tìm giải pháp kéo dài thời hạn bảo quản bánh tráng không dùng chất bảo quản",
      "Longer shelf life for rice paper without preservatives", ("food_processing",), ("C",),
      "Khách hàng Nhật, Hàn yêu cầu không chất bảo quản; bánh tráng của chúng tôi chỉ giữ được "
      "3 tháng, hay bị mốc khi vận chuyển đường biển.",
      "Thời hạn sử dụng 9 tháng, đạt chỉ tiêu vi sinh của thị trường nhập khẩu.",
      5, (200, 800), (LIC, SVC), ("bảo quản", "shelf life", "bánh tráng")),
    N("Cần quy trình xử lý nước thải chế biến thủy sản đạt QCVN 11-MT:2015/BTNMT",
      "Seafood processing wastewater treatment to QCVN 11", ("food_processing", "digital_green_transition"),
      ("E",), "Hệ thống hiện tại quá tải vào mùa cao điểm, COD và amoni vượt chuẩn, đã bị nhắc nhở.",
      "Xử lý ổn định 800 m³/ngày, đạt cột A, chi phí vận hành dưới 8.000 đồng/m³.",
      7, (2000, 6000), (LIC, EQ, SVC), ("nước thải", "wastewater", "thủy sản")),
    N("Tìm công nghệ tận dụng vỏ tôm sản xuất chitosan", "Producing chitosan from shrimp shells",
      ("food_processing", "biotechnology"), ("C",),
      "Mỗi ngày nhà máy thải 5 tấn vỏ đầu tôm, đang bán rẻ làm thức ăn chăn nuôi.",
      "Dây chuyền chitosan độ deacetyl trên 85 %, có thị trường đầu ra.",
      6, (1500, 5000), (LIC, OWN, JOINT), ("chitosan", "vỏ tôm", "phụ phẩm")),
    N("Cần hệ thống truy xuất nguồn gốc cho chuỗi rau an toàn", "Traceability for a safe-vegetable chain",
      ("digital_green_transition", "food_processing"), ("A", "J"),
      "Siêu thị yêu cầu tem truy xuất; nhật ký canh tác của 60 hộ liên kết vẫn ghi tay.",
      "Ứng dụng nhật ký điện tử cho nông dân, tem QR cho từng lô, kết nối hệ thống siêu thị.",
      7, (150, 500), (LIC, SVC), ("truy xuất nguồn gốc", "traceability", "QR")),
    N("Cần robot hàn cho dây chuyền kết cấu thép nhà xưởng", "Welding robots for a steel-structure line",
      ("mechanical",), ("C",),
      "Thiếu thợ hàn bậc cao, mối hàn không đồng đều, đơn hàng xuất khẩu yêu cầu chứng chỉ AWS.",
      "2 trạm robot hàn dầm tổ hợp, năng suất 30 tấn/ngày, có đào tạo vận hành.",
      7, (3000, 8000), (EQ, LIC), ("robot hàn", "welding", "tự động hóa")),
    N("Tìm giải pháp bảo trì dự đoán cho máy CNC", "Predictive maintenance for CNC machines",
      ("mechanical", "ai"), ("C",),
      "Máy CNC dừng đột ngột làm trễ đơn hàng; chúng tôi chưa có dữ liệu rung động, nhiệt độ.",
      "Cảm biến và phần mềm cảnh báo trước hỏng hóc trục chính ít nhất 1 tuần.",
      6, (300, 1200), (LIC, SVC), ("bảo trì dự đoán", "predictive maintenance", "CNC")),
    N("Cần công nghệ mạ giảm tiêu hao kẽm", "Galvanizing with lower zinc consumption",
      ("mechanical", "chem_pharma_rubber_plastics"), ("C",),
      "Giá kẽm tăng, lớp mạ dày không đều; lượng kẽm tiêu hao cao hơn định mức ngành.",
      "Giảm ít nhất 8 % kẽm tiêu hao, lớp mạ đạt ASTM A123.",
      7, (500, 2000), (LIC, SVC), ("mạ kẽm", "galvanizing")),
    N("Tìm đối tác nội địa hóa bộ điều khiển máy ép", "Local controller for our presses",
      ("mechanical", "electronics_it"), ("C",),
      "Bộ điều khiển nhập khẩu đắt, chờ linh kiện 3 tháng khi hỏng.",
      "Bộ điều khiển sản xuất trong nước, thay thế tương thích, bảo hành 24 tháng.",
      5, (800, 3000), (JOINT, LIC), ("bộ điều khiển", "controller", "nội địa hóa")),
    N("Cần giải pháp an ninh mạng cho hệ thống SCADA", "Cybersecurity for our SCADA system",
      ("electronics_it",), ("D", "E"),
      "Hệ thống SCADA kết nối internet để giám sát từ xa, chưa có giám sát an ninh mạng.",
      "Giám sát xâm nhập 24/7, không làm gián đoạn vận hành, báo cáo theo yêu cầu cấp độ 3.",
      7, (800, 2500), (LIC, SVC), ("an ninh mạng", "SCADA", "OT")),
    N("Tìm hệ thống quản lý sản xuất (MES) cho nhà máy điện tử",
      "A manufacturing execution system for an electronics plant",
      ("electronics_it", "digital_green_transition"), ("C", "J"),
      "Dữ liệu sản xuất nằm trên Excel, khó truy vết lỗi theo lô linh kiện.",
      "MES theo dõi từng bo mạch, kết nối máy SMT, báo cáo OEE theo ca.",
      7, (1000, 4000), (LIC,), ("MES", "nhà máy thông minh", "OEE")),
    N("Cần mạng 5G riêng cho kho vận", "Private 5G for our warehouse", ("electronics_it",), ("H", "J"),
      "Wi-Fi chập chờn làm xe nâng tự hành dừng giữa kho.",
      "Mạng 5G riêng phủ 20.000 m², độ trễ dưới 20 ms.",
      6, (2000, 7000), (LIC, EQ, SVC), ("5G", "kho vận", "AGV")),
    N("Cần công nghệ tái chế phế phẩm cao su lưu hóa", "Recycling vulcanised rubber scrap",
      ("chem_pharma_rubber_plastics", "digital_green_transition"), ("C",),
      "Mỗi tháng thải 40 tấn ba-via và sản phẩm lỗi, phải thuê đơn vị xử lý.",
      "Tái sinh và dùng lại tối thiểu 20 % trong hỗn hợp cao su mới.",
      6, (1000, 3500), (LIC, EQ), ("cao su", "tái chế", "recycling")),
    N("Tìm nhựa sinh học thay thế túi PE", "Bioplastic to replace PE bags",
      ("chem_pharma_rubber_plastics", "new_materials"), ("C",),
      "Khách hàng chuỗi bán lẻ yêu cầu túi phân hủy sinh học; hàng nhập quá đắt.",
      "Công thức hạt nhựa phân hủy sinh học chạy được trên máy thổi màng hiện có.",
      5, (800, 3000), (LIC, EXC, JOINT), ("nhựa sinh học", "bioplastic")),
    N("Cần quy trình chiết xuất cao dược liệu đạt GMP", "GMP herbal extraction process",
      ("chem_pharma_rubber_plastics", "biotechnology"), ("C",),
      "Nhà máy mới cần quy trình chiết xuất chuẩn hóa để đăng ký thuốc từ dược liệu.",
      "Quy trình đã thẩm định, hồ sơ tiêu chuẩn cơ sở, đào tạo nhân sự.",
      6, (1000, 4000), (LIC, OWN), ("dược liệu", "GMP", "chiết xuất")),
    N("Cần sơn chống ăn mòn cho bồn chứa ven biển", "Anti-corrosion coating for coastal tanks",
      ("new_materials", "chem_pharma_rubber_plastics"), ("C", "B"),
      "Bồn chứa gần biển phải sơn lại sau 3 năm, chi phí dừng vận hành lớn.",
      "Hệ sơn tuổi thọ trên 8 năm, thi công được khi bồn đang vận hành.",
      5, (500, 2500), (LIC, JOINT), ("chống ăn mòn", "coating")),
    N("Cần phần mềm AI kiểm tra lỗi bề mặt vải", "AI inspection of fabric defects", ("ai",), ("C",),
      "Kiểm vải thủ công bỏ sót lỗi, khách hàng trả hàng 2 % mỗi năm.",
      "Hệ thống camera + AI phát hiện trên 95 % lỗi ở tốc độ 40 m/phút.",
      6, (600, 2000), (LIC, EQ), ("AI", "kiểm tra vải", "machine vision")),
    N("Cần chatbot chăm sóc khách hàng tiếng Việt", "Vietnamese customer-service chatbot",
      ("ai",), ("J",), "Tổng đài quá tải vào giờ cao điểm, câu hỏi lặp lại 70 %.",
      "Chatbot trả lời đúng 85 % câu hỏi thường gặp, chuyển người thật khi cần.",
      7, (200, 900), (LIC, SVC), ("chatbot", "AI", "chăm sóc khách hàng")),
    N("Tìm đối tác thiết kế chip cảm biến nhiệt độ", "Partner to design a temperature-sensor chip",
      ("semiconductors",), ("C",), "Sản phẩm đồng hồ nước thông minh đang dùng chip nhập khẩu, "
      "muốn làm chủ thiết kế.", "Chip cảm biến nhiệt độ + giao tiếp số, sẵn sàng sản xuất thử.",
      3, (3000, 10000), (JOINT, SVC), ("chip", "cảm biến", "thiết kế vi mạch")),
    N("Cần chế phẩm vi sinh xử lý mùi chuồng trại", "Microbial odour control for livestock barns",
      ("biotechnology",), ("A",), "Trang trại bị khu dân cư phản ánh mùi hôi, phải xử lý gấp.",
      "Giảm 70 % NH₃ và H₂S, chi phí dưới 2.000 đồng/con/tháng.",
      6, (100, 500), (LIC,), ("vi sinh", "xử lý mùi", "chăn nuôi")),
    N("Tìm chủng nấm men cho lên men hạt ca cao", "Yeast strains for cocoa fermentation",
      ("biotechnology", "food_processing"), ("C", "A"),
      "Hạt ca cao lên men tự nhiên không đều, hương vị chưa đạt yêu cầu socola cao cấp.",
      "Chủng khởi động và quy trình lên men cho hạt đạt chuẩn xuất khẩu.",
      4, (200, 800), (LIC, JOINT), ("nấm men", "ca cao", "lên men")),
    N("Cần vật liệu cách nhiệt cho mái nhà xưởng", "Roof insulation for factory buildings",
      ("new_materials",), ("F", "C"), "Nhà xưởng mái tôn nóng trên 40 °C, công nhân mệt, tốn điện quạt.",
      "Vật liệu giảm 8–10 °C nhiệt độ trong xưởng, thi công trên mái hiện hữu.",
      7, (300, 1500), (EQ, LIC), ("cách nhiệt", "vật liệu", "mái")),
    N("Cần giải pháp lưu trữ năng lượng cho điện mặt trời áp mái",
      "Energy storage for rooftop solar", ("renewable_energy",), ("D",),
      "Điện mặt trời dư buổi trưa không bán được lên lưới, ca tối phải mua điện giá cao.",
      "Hệ lưu trữ 500 kWh, hoàn vốn dưới 7 năm, quản lý năng lượng thông minh.",
      7, (3000, 9000), (EQ, LIC), ("lưu trữ năng lượng", "BESS", "pin")),
    N("Tìm công nghệ biogas xử lý phân heo", "Biogas for pig manure", ("renewable_energy",), ("A", "D"),
      "Hầm biogas cũ bị rò khí, nước sau hầm vẫn ô nhiễm.",
      "Hệ thống biogas mới kèm phát điện 100 kW, nước thải đạt QCVN 62.",
      7, (1500, 4000), (EQ, LIC, SVC), ("biogas", "chăn nuôi")),
    N("Cần giải pháp đo lường và báo cáo phát thải khí nhà kính (MRV)",
      "Greenhouse gas measurement, reporting and verification", ("digital_green_transition",),
      ("C", "M"), "Khách hàng châu Âu yêu cầu số liệu phát thải theo CBAM từ năm tới.",
      "Phần mềm kiểm kê khí nhà kính phạm vi 1, 2, báo cáo theo chuẩn quốc tế.",
      6, (300, 1200), (LIC, SVC), ("khí nhà kính", "MRV", "CBAM")),
    N("Tìm giải pháp chuyển đổi số quản lý kho", "Digital warehouse management",
      ("digital_green_transition", "electronics_it"), ("H",),
      "Tồn kho lệch sổ sách, xuất nhầm lô, chưa có mã vạch.",
      "Hệ thống WMS mã vạch/RFID tích hợp phần mềm kế toán.",
      7, (200, 800), (LIC, SVC), ("WMS", "quản lý kho", "RFID")),
    N("Cần hóa phẩm xử lý cặn paraffin trong đường ống dầu",
      "Chemicals against paraffin deposits in oil pipelines", ("chem_pharma_rubber_plastics",), ("B",),
      "Cặn paraffin làm giảm lưu lượng đường ống ngầm, phải dừng để làm sạch cơ học.",
      "Hóa phẩm ức chế lắng đọng hiệu quả ở 18 °C, thân thiện môi trường.",
      5, (1000, 5000), (LIC, JOINT), ("paraffin", "dầu khí", "hóa phẩm")),
    N("Cần tinh bột biến tính cho ngành giấy", "Modified starch for papermaking",
      ("food_processing", "other"), ("C",), "Muốn chuyển từ bán tinh bột thô sang tinh bột biến tính "
      "giá trị cao cho nhà máy giấy.", "Quy trình biến tính cation 10 tấn/ngày.",
      6, (2000, 6000), (LIC, OWN), ("tinh bột biến tính", "modified starch")),
    N("Cần thiết bị đông khô cho sản phẩm trái cây", "Freeze dryer for fruit products",
      ("food_processing",), ("C",), "Muốn ra dòng sản phẩm trái cây đông khô cao cấp.",
      "Thiết bị đông khô 50 kg/mẻ, có chuyển giao quy trình.",
      8, (1500, 4000), (EQ, LIC), ("đông khô", "freeze drying")),
    N("Tìm giải pháp giám sát kết cấu cầu cảng", "Structural monitoring for our wharf",
      ("electronics_it", "mechanical"), ("H", "F"), "Cầu cảng đón tàu lớn hơn thiết kế ban đầu, "
      "cần theo dõi biến dạng.", "Hệ thống quan trắc liên tục, cảnh báo quá tải.",
      6, (1500, 5000), (LIC, EQ, SVC), ("giám sát kết cấu", "cầu cảng")),
]  # fmt: skip

# Appended to a need's title when several enterprises post the same kind of need.
NEED_VARIANTS: list[tuple[str, str]] = [
    ("", ""),
    (" – giai đoạn thí điểm", " – pilot phase"),
    (" cho nhà máy mới", " for a new plant"),
    (" – mở rộng công suất", " – capacity expansion"),
]
