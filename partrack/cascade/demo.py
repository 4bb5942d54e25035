"""The demo's province plan: a short, illustrative UBND tỉnh Phú Thọ CCHC plan for 2026.

The seed implements Kế hoạch 12418/KH-UBND of UBND tỉnh Phú Thọ; its text is not in the repository,
so these rows are written for the demo (every title says so), a few per area, led by the
province's agencies. Some of Sở KH&CN's and Sở Tư pháp's tasks are linked to them.
"""

from datetime import date

from partrack.cascade.services import link_task
from partrack.documents.services import import_new_plan
from partrack.org.models import Agency
from partrack.plans.demo import aware
from partrack.plans.plan_data import PlanData, PlanHead, SectionData, SignerData, TaskData

ILLUSTRATIVE = "Minh họa cho bản demo, không phải văn bản đã ban hành"


def _task(number, content, lead, deadline, coordinators=(), product="Báo cáo"):
    return TaskData(
        number=number,
        content=content,
        deliverable=product,
        lead=list(lead),
        coordinators=list(coordinators),
        deadline_text=deadline,
        note=ILLUSTRATIVE,
    )


PROVINCE_PLAN = PlanData(
    head=PlanHead(
        title="Kế hoạch cải cách hành chính năm 2026 của UBND tỉnh Phú Thọ (bản minh họa)",
        year=2026,
        symbol="12418/KH-UBND",
        signer=SignerData(on_behalf="TM. ỦY BAN NHÂN DÂN", title="CHỦ TỊCH"),
        recipients=["Bộ Nội vụ (b/c)", "Các sở, ban, ngành", "UBND các xã, phường"],
    ),
    sections=[
        SectionData(
            numeral="I",
            title="Công tác chỉ đạo, điều hành",
            tasks=[
                _task(
                    1,
                    "Xây dựng, ban hành kế hoạch CCHC năm 2026 của cơ quan, đơn vị",
                    ["Các sở, ban, ngành", "UBND các xã, phường"],
                    "Tháng 01/2026",
                    product="Kế hoạch",
                ),
                _task(
                    2,
                    "Báo cáo kết quả CCHC định kỳ quý, 6 tháng, năm gửi Sở Nội vụ tổng hợp",
                    ["Các sở, ban, ngành"],
                    "Thường xuyên",
                    coordinators=["Sở Nội vụ"],
                ),
            ],
        ),
        SectionData(
            numeral="II",
            title="Cải cách thể chế",
            tasks=[
                _task(
                    3,
                    "Rà soát, hệ thống hóa văn bản quy phạm pháp luật của tỉnh",
                    ["Sở Tư pháp"],
                    "Quý IV/2026",
                    coordinators=["Các sở, ban, ngành"],
                ),
            ],
        ),
        SectionData(
            numeral="III",
            title="Cải cách thủ tục hành chính",
            tasks=[
                _task(
                    4,
                    "Rà soát, đơn giản hóa thủ tục hành chính thuộc thẩm quyền giải quyết",
                    ["Các sở, ban, ngành"],
                    "Năm 2026",
                    coordinators=["Văn phòng UBND tỉnh"],
                ),
            ],
        ),
        SectionData(
            numeral="IV",
            title="Cải cách tổ chức bộ máy",
            tasks=[
                _task(
                    5,
                    "Kiện toàn tổ chức bộ máy sau sắp xếp đơn vị hành chính",
                    ["Sở Nội vụ"],
                    "Quý II/2026",
                    coordinators=["Các sở, ban, ngành", "UBND các xã, phường"],
                ),
            ],
        ),
        SectionData(
            numeral="V",
            title="Cải cách chế độ công vụ",
            tasks=[
                _task(
                    6,
                    "Đánh giá, xếp loại chất lượng cán bộ, công chức, viên chức năm 2026",
                    ["Sở Nội vụ"],
                    "Quý IV/2026",
                    coordinators=["Các sở, ban, ngành"],
                ),
            ],
        ),
        SectionData(
            numeral="VI",
            title="Cải cách tài chính công",
            tasks=[
                _task(
                    7,
                    "Giao dự toán, thực hiện cơ chế tự chủ tài chính của đơn vị sự nghiệp",
                    ["Sở Tài chính"],
                    "Năm 2026",
                    coordinators=["Các sở, ban, ngành"],
                ),
            ],
        ),
        SectionData(
            numeral="VII",
            title="Xây dựng và phát triển Chính quyền điện tử, Chính quyền số",
            tasks=[
                _task(
                    8,
                    "Tham mưu Nghị quyết về phát triển khoa học, công nghệ, đổi mới sáng tạo "
                    "và chuyển đổi số của tỉnh",
                    ["Sở Khoa học và Công nghệ"],
                    "Quý II/2026",
                    product="Nghị quyết",
                ),
                _task(
                    9,
                    "Vận hành nền tảng tích hợp, chia sẻ dữ liệu; ký số văn bản điện tử",
                    ["Sở Khoa học và Công nghệ"],
                    "Năm 2026",
                    coordinators=["Các sở, ban, ngành", "UBND các xã, phường"],
                ),
            ],
        ),
    ],
)

# (agency short name, the agency's task number, the province task number it carries out)
DEMO_LINKS = [
    ("SKHCN", 1, 1),
    ("SKHCN", 12, 3),
    ("SKHCN", 16, 4),
    ("SKHCN", 31, 7),
    ("SKHCN", 33, 8),
    ("SKHCN", 35, 9),
    ("STP", 1, 1),
    ("STP", 3, 3),
]


def province_plan_demo(*, plan, people):
    """Import the province plan for UBND tỉnh and link some agencies' tasks to it."""
    province = plan.agency.parent
    if province is None:
        return
    by = people.get("sonoivu")
    province_plan, _unmatched = import_new_plan(
        agency=province,
        data=PROVINCE_PLAN,
        by=by,
        filename="ke-hoach-cchc-2026-ubnd-tinh-minh-hoa.docx",
        now=aware(date(2026, 1, 8)),
    )
    targets = {task.number: task for task in province_plan.tasks.all()}
    offices = {"SKHCN": people["vanphong"], "STP": people["sotuphap"]}
    for short_name, number, target in DEMO_LINKS:
        agency = Agency.objects.get(short_name=short_name)
        task = agency.plans.get(year=2026, archived_at__isnull=True).tasks.get(number=number)
        link_task(
            task=task,
            province_task=targets[target],
            by=offices[short_name],
            now=aware(date(2026, 1, 20)),
        )
