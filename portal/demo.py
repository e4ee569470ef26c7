"""Demo content: the menu a Vietnamese office expects, with a few published pages.

Written for this project. Loading is idempotent: an item whose path exists is
left alone, so running it twice changes nothing. Types are taken from the
registry, so the core does not import the content-type modules.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import tree
from .models import Node, User, WorkflowHistory, utcnow
from .registry import TypeRegistry

P = "page"
N = "news"  # a page where the news type is not installed
F = "folder"
L = "link"
S = "service_link"

# Folders that hold blocks rather than pages to browse (the English section is
# reached from the language switch's home, not from the Vietnamese menu).
HIDDEN_FROM_NAV = {"dich-vu-cong", "en"}
# Sections written in English (ND 42/2022: the structure and contact pages): the
# items are in English (nodes.language), so is the UI around them.
ENGLISH = {"en"}

# (type, name, title, description, body or children)
DEMO = [
    (
        F,
        "gioi-thieu",
        "Giới thiệu",
        "Chức năng, nhiệm vụ và quá trình hình thành của đơn vị.",
        [
            (
                P,
                "chuc-nang-nhiem-vu",
                "Chức năng, nhiệm vụ",
                "Ủy ban nhân dân thực hiện quản lý nhà nước trên địa bàn theo quy định của pháp luật.",
                "<p>Ủy ban nhân dân là cơ quan hành chính nhà nước ở địa phương, chịu trách nhiệm "
                "tổ chức thi hành Hiến pháp, pháp luật và các nghị quyết của Hội đồng nhân dân cùng cấp.</p>"
                "<h2>Nhiệm vụ chủ yếu</h2><ul><li>Xây dựng và tổ chức thực hiện kế hoạch phát triển "
                "kinh tế - xã hội hằng năm;</li><li>Quản lý đất đai, tài nguyên, môi trường và trật tự "
                "xây dựng;</li><li>Giải quyết thủ tục hành chính cho người dân, doanh nghiệp qua Bộ phận "
                "Một cửa;</li><li>Tiếp công dân, giải quyết khiếu nại, tố cáo, kiến nghị, phản ánh.</li></ul>",
            ),
            (
                P,
                "qua-trinh-hinh-thanh",
                "Quá trình hình thành và phát triển",
                "Những mốc chính từ khi thành lập đến nay.",
                "<p>Đơn vị được sắp xếp lại theo mô hình chính quyền địa phương hai cấp từ ngày "
                "01/7/2025. Bộ máy mới tập trung phục vụ người dân gần hơn, nhanh hơn.</p>",
            ),
        ],
    ),
    (
        F,
        "co-cau-to-chuc",
        "Cơ cấu tổ chức",
        "Lãnh đạo và các phòng, ban chuyên môn.",
        [
            (
                P,
                "lanh-dao",
                "Lãnh đạo Ủy ban nhân dân",
                "Chủ tịch và các Phó Chủ tịch.",
                "<table><thead><tr><th>Họ và tên</th><th>Chức vụ</th><th>Điện thoại</th></tr></thead>"
                "<tbody><tr><td>Trần Văn An</td><td>Chủ tịch</td><td>0251 3800 101</td></tr>"
                "<tr><td>Lê Thị Bình</td><td>Phó Chủ tịch</td><td>0251 3800 102</td></tr>"
                "<tr><td>Phạm Quốc Cường</td><td>Phó Chủ tịch</td><td>0251 3800 103</td></tr>"
                "</tbody></table>",
            ),
            (
                P,
                "phong-ban",
                "Các phòng, ban chuyên môn",
                "Văn phòng, phòng Kinh tế, phòng Văn hóa - Xã hội.",
                "<ul><li>Văn phòng Hội đồng nhân dân và Ủy ban nhân dân</li><li>Phòng Kinh tế</li>"
                "<li>Phòng Văn hóa - Xã hội</li><li>Trung tâm Phục vụ hành chính công</li></ul>",
            ),
        ],
    ),
    (
        F,
        "tin-tuc",
        "Tin tức",
        "Tin hoạt động, chỉ đạo điều hành và cải cách hành chính.",
        [
            (
                F,
                "tin-hoat-dong",
                "Tin hoạt động",
                "Hoạt động của lãnh đạo và các cơ quan.",
                [
                    (
                        N,
                        "hoi-nghi-so-ket-quy-iii",
                        "Hội nghị sơ kết công tác quý III",
                        "Ủy ban nhân dân tổ chức hội nghị đánh giá kết quả chín tháng đầu năm.",
                        "<p>Hội nghị đánh giá các chỉ tiêu kinh tế - xã hội chủ yếu đều đạt và vượt kế hoạch. "
                        "Tỷ lệ hồ sơ giải quyết đúng hạn đạt trên 98%.</p>",
                    ),
                    (
                        N,
                        "ra-quan-ve-sinh-moi-truong",
                        "Ra quân tổng vệ sinh môi trường",
                        "Hơn 500 đoàn viên, hội viên tham gia dọn dẹp các tuyến đường.",
                        "<p>Hưởng ứng phong trào chung tay vì môi trường xanh - sạch - đẹp, các đoàn thể đã "
                        "ra quân thu gom rác thải, phát quang bụi rậm dọc các tuyến đường liên ấp.</p>",
                    ),
                ],
            ),
            (
                F,
                "chi-dao-dieu-hanh",
                "Chỉ đạo điều hành",
                "Văn bản chỉ đạo của lãnh đạo.",
                [
                    (
                        N,
                        "phong-chong-thien-tai-mua-mua",
                        "Chủ động phòng, chống thiên tai mùa mưa bão",
                        "Yêu cầu các đơn vị trực ban nghiêm túc, sẵn sàng lực lượng ứng phó.",
                        "<p>Chủ tịch Ủy ban nhân dân yêu cầu các ấp, khu phố rà soát khu vực trũng thấp, "
                        "chuẩn bị phương án di dời người dân khi có mưa lớn kéo dài.</p>",
                    ),
                ],
            ),
            (
                F,
                "cai-cach-hanh-chinh",
                "Cải cách hành chính",
                "Tin tức, kế hoạch và kết quả cải cách hành chính.",
                [
                    (
                        N,
                        "so-hoa-ho-so-mot-cua",
                        "Đẩy mạnh số hóa hồ sơ tại Bộ phận Một cửa",
                        "100% hồ sơ tiếp nhận được số hóa và cập nhật lên hệ thống.",
                        "<p>Từ đầu năm, toàn bộ hồ sơ thủ tục hành chính tiếp nhận trực tiếp đều được scan, "
                        "ký số và lưu trữ điện tử. Người dân không phải nộp lại giấy tờ đã có trong kho dữ liệu.</p>",
                    ),
                    (
                        N,
                        "khao-sat-muc-do-hai-long",
                        "Kết quả khảo sát mức độ hài lòng của người dân",
                        "Chỉ số hài lòng về phục vụ hành chính đạt 96,5%.",
                        "<p>Qua 1.240 phiếu khảo sát, người dân đánh giá cao thái độ phục vụ của công chức "
                        "và thời gian trả kết quả đúng hẹn.</p>",
                    ),
                ],
            ),
            (
                F,
                "thong-tin-tuyen-truyen",
                "Thông tin tuyên truyền",
                "Phổ biến chính sách, pháp luật.",
                [
                    (
                        N,
                        "dinh-danh-dien-tu-muc-2",
                        "Hướng dẫn kích hoạt tài khoản định danh điện tử mức 2",
                        "Các bước đăng ký và kích hoạt tài khoản trên ứng dụng VNeID.",
                        "<ol><li>Mang căn cước công dân gắn chip đến công an cấp xã;</li>"
                        "<li>Đăng ký và chụp ảnh chân dung;</li><li>Kích hoạt tài khoản trên điện thoại.</li></ol>",
                    ),
                ],
            ),
        ],
    ),
    (
        F,
        "hoi-dap",
        "Hỏi đáp",
        "Giải đáp thắc mắc của người dân.",
        [
            (
                P,
                "thoi-gian-tiep-nhan-ho-so",
                "Thời gian tiếp nhận hồ sơ?",
                "Bộ phận Một cửa làm việc từ thứ Hai đến sáng thứ Bảy.",
                "<p>Sáng từ 7 giờ 30 đến 11 giờ 30; chiều từ 13 giờ 30 đến 17 giờ. "
                "Sáng thứ Bảy tiếp nhận một số thủ tục về hộ tịch và chứng thực.</p>",
            ),
        ],
    ),
    (
        F,
        "lien-ket",
        "Liên kết website",
        "Cổng thông tin của Chính phủ và dịch vụ công.",
        [
            (
                L,
                "cong-dich-vu-cong-quoc-gia",
                "Cổng Dịch vụ công quốc gia",
                "Nộp hồ sơ, thanh toán phí và tra cứu kết quả trực tuyến.",
                "https://dichvucong.gov.vn",
            ),
            (
                L,
                "cong-thong-tin-chinh-phu",
                "Cổng Thông tin điện tử Chính phủ",
                "Văn bản chỉ đạo, điều hành của Chính phủ.",
                "https://chinhphu.vn",
            ),
        ],
    ),
    (
        F,
        "dich-vu-cong",
        "Dịch vụ cho người dân",
        "Các dịch vụ trực tuyến hiện trên trang chủ.",
        [
            (
                S,
                "nop-ho-so",
                "Nộp hồ sơ trực tuyến",
                "Nộp hồ sơ thủ tục hành chính qua mạng.",
                {"url": "https://dichvucong.gov.vn", "kind": "nop-ho-so"},
            ),
            (
                S,
                "tra-cuu-ho-so",
                "Tra cứu hồ sơ",
                "Xem tình trạng giải quyết hồ sơ đã nộp.",
                {"url": "/tra-cuu-ho-so", "kind": "tra-cuu"},
            ),
            (
                S,
                "phan-anh-kien-nghi",
                "Phản ánh, kiến nghị",
                "Gửi phản ánh về quy định hành chính.",
                {"url": "/phan-anh-kien-nghi", "kind": "phan-anh"},
            ),
            (
                S,
                "duong-day-nong",
                "Đường dây nóng",
                "Gọi khi cần hỗ trợ trong giờ hành chính.",
                {"url": "tel:02513800100", "kind": "duong-day-nong"},
            ),
            (
                S,
                "cong-dich-vu-cong-quoc-gia",
                "Cổng Dịch vụ công quốc gia",
                "Nộp hồ sơ, thanh toán và nhận kết quả trực tuyến trên cả nước.",
                {"url": "https://dichvucong.gov.vn", "kind": "cong-dich-vu", "placement": "both"},
            ),
            (
                S,
                "cong-dich-vu-cong-tinh",
                "Cổng Dịch vụ công của tỉnh",
                "Thủ tục hành chính của các sở, ngành và địa phương trong tỉnh.",
                {"url": "https://dichvucong.dongnai.gov.vn", "kind": "cong-dich-vu", "placement": "both"},
            ),
            (
                S,
                "khao-sat",
                "Khảo sát mức độ hài lòng",
                "Đánh giá chất lượng phục vụ.",
                {"url": "/khao-sat", "kind": "khao-sat"},
            ),
        ],
    ),
    (
        P,
        "lien-he-truc-tuyen",
        "Liên hệ",
        "Địa chỉ, điện thoại và thư điện tử của cơ quan.",
        "<p>Mọi ý kiến xin gửi về Văn phòng Ủy ban nhân dân trong giờ hành chính.</p>",
    ),
    (
        F,
        "en",
        "English",
        "Information about the People's Committee in English.",
        [
            (
                P,
                "about",
                "About the People's Committee",
                "Functions and duties of the People's Committee.",
                "<p>The People's Committee is the local state administrative body. It enforces the "
                "Constitution, the law and the resolutions of the People's Council at the same level.</p>"
                "<h2>Main duties</h2><ul><li>Planning and carrying out the yearly socio-economic "
                "development plan;</li><li>Managing land, natural resources, the environment and "
                "construction;</li><li>Handling administrative procedures for citizens and businesses "
                "at the One-Stop Shop;</li><li>Receiving citizens and settling complaints, denunciations "
                "and petitions.</li></ul>",
            ),
            (
                P,
                "organisation",
                "Organisational structure",
                "Leaders and specialised divisions.",
                "<table><thead><tr><th>Name</th><th>Position</th><th>Telephone</th></tr></thead>"
                "<tbody><tr><td>Trần Văn An</td><td>Chairman</td><td>0251 3800 101</td></tr>"
                "<tr><td>Lê Thị Bình</td><td>Vice Chairwoman</td><td>0251 3800 102</td></tr>"
                "<tr><td>Phạm Quốc Cường</td><td>Vice Chairman</td><td>0251 3800 103</td></tr>"
                "</tbody></table><h2>Divisions</h2><ul><li>Office of the People's Council and "
                "People's Committee</li><li>Economic Division</li><li>Culture and Social Affairs "
                "Division</li></ul>",
            ),
            (
                P,
                "contact",
                "Contact",
                "Address, telephone and email of the People's Committee.",
                "<p>Please send your comments and questions to the Office of the People's Committee "
                "during office hours (Monday to Friday, 7:30–11:30 and 13:30–17:00).</p>"
                "<p>Address, hotline and email are shown at the bottom of every page.</p>",
            ),
        ],
    ),
]


def _find(db: Session, parent: Node, name: str) -> Node | None:
    return db.scalar(select(Node).where(Node.parent_id == parent.id, Node.name == name))


def publish(db: Session, node: Node, actor: User | None, when: dt.datetime) -> None:
    """Publish a demo item as if a reviewer had, with its history entry."""
    db.add(
        WorkflowHistory(
            node_id=node.id,
            actor_id=actor.id if actor else None,
            actor_name=actor.display_name if actor else "",
            at=when,
            transition="publish",
            from_state="private",
            to_state="published",
            comment="Dữ liệu mẫu",
        )
    )
    node.state, node.effective = "published", when


def load_demo(db: Session, types: TypeRegistry, root: Node, owner: User | None) -> int:
    """Create the demo tree under ``root``; return how many items were created."""
    created = 0
    now = utcnow()

    def walk(parent: Node, entries, offset: int, language: str = "vi") -> None:
        nonlocal created
        for i, (type_name, name, title, description, payload) in enumerate(entries):
            node = _find(db, parent, name)
            when = now - dt.timedelta(days=offset + i)
            if type_name == N and types.get(N) is None:
                type_name = P
            if node is None:
                node = types[type_name].model(
                    title=title,
                    description=description,
                    owner_id=owner.id if owner else None,
                    created=when,
                    modified=when,
                    language="en" if name in ENGLISH else language,
                )
                if type_name in (P, N):
                    node.body = payload
                if type_name == N:
                    node.lead = description
                elif type_name == L:
                    node.url = payload
                elif type_name == S:
                    node.url, node.kind = payload["url"], payload["kind"]
                    node.placement = payload.get("placement", "home")
                if name in HIDDEN_FROM_NAV:
                    node.exclude_from_nav = True
                tree.add_child(db, parent, node, name=name)
                publish(db, node, owner, when)
                created += 1
            if type_name == F:
                walk(node, payload, offset + 3 * i, node.language)

    walk(root, DEMO, 0)
    db.flush()
    # Each content type may bring its own demo items (declared with demo=...).
    for info in types:
        loader = info.extra.get("demo")
        if loader is not None:
            created += loader(db, types, root, owner)
            db.flush()
    for hook in getattr(types, "demo_hooks", ()):
        created += hook(db, types, root, owner)
        db.flush()
    return created


def find(db: Session, parent: Node, name: str) -> Node | None:
    return _find(db, parent, name)


def ensure_folder(
    db: Session, types: TypeRegistry, parent: Node, name: str, title: str, description: str, owner
) -> tuple[Node, bool]:
    """The published folder ``name`` under ``parent``, created if missing; (folder, created)."""
    node = _find(db, parent, name)
    if node is not None:
        return node, False
    when = utcnow() - dt.timedelta(days=400)
    node = types["folder"].model(
        title=title,
        description=description,
        owner_id=owner.id if owner else None,
        created=when,
        modified=when,
    )
    tree.add_child(db, parent, node, name=name)
    publish(db, node, owner, when)
    return node, True
