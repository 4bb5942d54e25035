"""The one error a document reader lets out: a message a person can act on, in Vietnamese."""

NOT_A_DOCUMENT = "Tệp không phải DOCX, PDF hay XLSX."
EMPTY_FILE = "Tệp rỗng, không có nội dung."
SCANNED_PDF = "Tệp PDF này là bản quét, không có lớp chữ: hãy tải lên bản DOCX."
NO_TASK_TABLE = "Không tìm thấy bảng nhiệm vụ trong tài liệu."
CORRUPT = "Tệp bị hỏng hoặc được đặt mật khẩu."
OLE_FILE = (
    "Tệp được đặt mật khẩu hoặc là định dạng Word cũ (.doc) hay Excel cũ (.xls): "
    "hãy bỏ mật khẩu và lưu lại thành .docx hoặc .xlsx."
)
ZIP_BOMB = "Tệp nén bất thường (giải nén quá lớn): không đọc tệp này."


def too_large(max_bytes):
    """ "Tệp vượt quá giới hạn 20 MB." for the limit in force."""
    if max_bytes >= 1024 * 1024:
        return f"Tệp vượt quá giới hạn {max_bytes / (1024 * 1024):g} MB."
    return f"Tệp vượt quá giới hạn {max(1, round(max_bytes / 1024))} KB."


class DocumentError(Exception):
    """A document that cannot be read; ``message`` is shown to the user as it is."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# What a task table needs, in the words of its header, for the message naming what was seen.
NEEDED_COLUMNS = (
    "một cột nội dung (Nội dung, Nhiệm vụ, Tên nhiệm vụ, Chỉ tiêu) và ít nhất hai trong các cột "
    "Số TT, Cơ quan chủ trì, Cơ quan phối hợp, Thời hạn hoàn thành, Sản phẩm, Ghi chú"
)


def no_task_table(tables_seen):
    """ "Không tìm thấy bảng nhiệm vụ…", naming the headers of the tables seen and those needed."""
    if not any(any(table["headers"]) for table in tables_seen):
        return NO_TASK_TABLE
    heads = "; ".join(
        "“" + " | ".join(text for text in table["headers"] if text) + "”"
        for table in tables_seen[:5]
        if any(table["headers"])
    )
    return f"{NO_TASK_TABLE} Tiêu đề các bảng đã thấy: {heads}. Bảng nhiệm vụ cần {NEEDED_COLUMNS}."
