"""OAuth2 scopes. Users get every scope; partner clients get only those granted to them."""

SCOPES: dict[str, tuple[str, str]] = {
    "listings:read": ("Đọc danh mục cung công nghệ", "Read supply listings"),
    "listings:write": ("Tạo, sửa danh mục cung công nghệ", "Create and edit supply listings"),
    "needs:read": ("Đọc nhu cầu công nghệ", "Read technology needs"),
    "needs:write": ("Tạo, sửa nhu cầu công nghệ", "Create and edit technology needs"),
    "connections:read": ("Đọc kết nối cung – cầu", "Read supply–demand connections"),
    "connections:write": ("Tạo, cập nhật kết nối cung – cầu", "Create and update connections"),
    "contracts:read": ("Đọc hợp đồng", "Read contracts"),
    "contracts:write": ("Ghi nhận hợp đồng", "Record contracts"),
    "organisations:read": ("Đọc thông tin tổ chức", "Read organisations"),
    "organisations:write": ("Sửa thông tin tổ chức", "Edit organisations"),
    "kpi:read": ("Đọc chỉ tiêu và báo cáo", "Read targets and reports"),
}

USER_SCOPES = frozenset(SCOPES)
