"""Demo legal documents, reviews and review lists: invented for this project (numbers,
names and dates are examples, not real documents). Idempotent like portal.demo: an
item whose name exists is left alone, a relation already stored is not added again."""

from __future__ import annotations

import datetime as dt
import io

from sqlalchemy import select

from portal import tree
from portal.blobs import store_for
from portal.demo import ensure_folder, find, publish
from portal.models import Attachment, utcnow
from portal.models.terms import FIELD
from portal.terms import parse_labels, set_terms
from portal.text import TZ, fold

CP, TTG, BNV, BTP = "Chính phủ", "Thủ tướng Chính phủ", "Bộ Nội vụ", "Bộ Tư pháp"
HDT, UBT, STP, SNV = "Hội đồng nhân dân tỉnh", "Ủy ban nhân dân tỉnh", "Sở Tư pháp", "Sở Nội vụ"
UBX = "Ủy ban nhân dân xã"

SIGNERS = {
    CP: ("Nguyễn Minh Hòa", "Thay mặt Chính phủ, Thủ tướng"),
    TTG: ("Nguyễn Minh Hòa", "Thủ tướng"),
    BNV: ("Đỗ Thanh Tùng", "Thứ trưởng"),
    BTP: ("Vũ Hải Đăng", "Thứ trưởng"),
    HDT: ("Hoàng Văn Thắng", "Chủ tịch"),
    UBT: ("Lý Quốc Việt", "Chủ tịch"),
    STP: ("Ngô Thị Thu Hà", "Giám đốc"),
    SNV: ("Đặng Minh Khoa", "Giám đốc"),
    UBX: ("Trần Văn An", "Chủ tịch"),
}

# name, number, type, issuer, issued, effective, expiry, title, fields, override, reason, pdf
DOCUMENTS = [
    ("nghi-dinh-118-2019", "118/2019/NĐ-CP", "nghi-dinh", CP, "2019-12-20", "2020-02-15", None,
     "Nghị định quy định về tiếp nhận, giải quyết thủ tục hành chính theo cơ chế một cửa liên thông",
     "Cải cách hành chính", "het-hieu-luc-mot-phan",
     "Điều 15 và Điều 21 được sửa đổi, bổ sung bởi Nghị định số 93/2024/NĐ-CP.", True),
    ("nghi-dinh-93-2024", "93/2024/NĐ-CP", "nghi-dinh", CP, "2024-07-10", "2024-09-01", None,
     "Nghị định sửa đổi, bổ sung một số điều của Nghị định số 118/2019/NĐ-CP",
     "Cải cách hành chính", "", "", True),
    ("nghi-dinh-52-2021", "52/2021/NĐ-CP", "nghi-dinh", CP, "2021-05-12", "2021-07-01", None,
     "Nghị định về xây dựng, quản lý trang thông tin điện tử của cơ quan nhà nước",
     "Công nghệ thông tin, Chuyển đổi số", "", "", False),
    ("nghi-dinh-15-2026", "15/2026/NĐ-CP", "nghi-dinh", CP, "2026-10-20", "2027-01-01", None,
     "Nghị định về phát triển chính quyền số ở địa phương",
     "Chuyển đổi số", "", "", False),
    ("chi-thi-08-2023", "08/CT-TTg", "chi-thi", TTG, "2023-03-14", "2023-03-14", None,
     "Chỉ thị về đẩy mạnh cung cấp dịch vụ công trực tuyến toàn trình",
     "Cải cách hành chính, Dịch vụ công", "", "", False),
    ("thong-tu-04-2020", "04/2020/TT-BNV", "thong-tu", BNV, "2020-06-30", "2020-08-15", "2025-04-01",
     "Thông tư hướng dẫn chế độ báo cáo công tác cải cách hành chính",
     "Cải cách hành chính", "", "Được thay thế bởi Thông tư số 02/2025/TT-BNV.", False),
    ("thong-tu-02-2025", "02/2025/TT-BNV", "thong-tu", BNV, "2025-02-10", "2025-04-01", None,
     "Thông tư quy định chế độ báo cáo định kỳ về cải cách hành chính",
     "Cải cách hành chính", "", "", True),
    ("thong-tu-11-2022", "11/2022/TT-BNV", "thong-tu", BNV, "2022-09-16", "2022-11-01", None,
     "Thông tư hướng dẫn quản lý hồ sơ cán bộ, công chức cấp xã",
     "Tổ chức bộ máy, Cán bộ công chức", "", "", False),
    ("thong-tu-07-2021", "07/2021/TT-BTP", "thong-tu", BTP, "2021-08-02", "2021-09-20", None,
     "Thông tư hướng dẫn rà soát, hệ thống hóa văn bản quy phạm pháp luật",
     "Tư pháp", "", "", False),
    ("nghi-quyet-17-2019", "17/2019/NQ-HĐND", "nghi-quyet", HDT, "2019-07-12", "2019-07-22", "2022-01-01",
     "Nghị quyết quy định mức thu một số loại phí, lệ phí trên địa bàn tỉnh",
     "Phí và lệ phí", "", "Được thay thế bởi Nghị quyết số 24/2021/NQ-HĐND.", False),
    ("nghi-quyet-24-2021", "24/2021/NQ-HĐND", "nghi-quyet", HDT, "2021-12-10", "2022-01-01", None,
     "Nghị quyết quy định mức thu, chế độ thu, nộp, quản lý và sử dụng một số loại phí, lệ phí",
     "Phí và lệ phí, Hộ tịch", "het-hieu-luc-mot-phan",
     "Mức lệ phí đăng ký hộ tịch tại khoản 2 Điều 3 được sửa đổi bởi Nghị quyết số 09/2025/NQ-HĐND.",
     True),
    ("nghi-quyet-09-2025", "09/2025/NQ-HĐND", "nghi-quyet", HDT, "2025-07-15", "2025-08-01", None,
     "Nghị quyết sửa đổi mức thu lệ phí đăng ký hộ tịch trên địa bàn tỉnh",
     "Phí và lệ phí, Hộ tịch", "", "", False),
    ("nghi-quyet-31-2020", "31/2020/NQ-HĐND", "nghi-quyet", HDT, "2020-12-09", "2020-12-19", "2025-12-31",
     "Nghị quyết về kế hoạch đầu tư công trung hạn giai đoạn 2021 - 2025",
     "Đầu tư công", "", "Hết thời hạn thực hiện giai đoạn 2021 - 2025.", False),
    ("nghi-quyet-12-2026", "12/2026/NQ-HĐND", "nghi-quyet", HDT, "2026-11-05", "2027-01-01", None,
     "Nghị quyết quy định chính sách hỗ trợ chuyển đổi số cho cấp xã giai đoạn 2027 - 2030",
     "Chuyển đổi số", "", "", True),
    ("quyet-dinh-25-2019", "25/2019/QĐ-UBND", "quyet-dinh", UBT, "2019-09-05", "2019-09-20", "2025-07-01",
     "Quyết định ban hành Quy chế tổ chức và hoạt động của Trung tâm Phục vụ hành chính công tỉnh",
     "Cải cách hành chính", "", "Được thay thế bởi Quyết định số 12/2025/QĐ-UBND.", False),
    ("quyet-dinh-12-2025", "12/2025/QĐ-UBND", "quyet-dinh", UBT, "2025-06-20", "2025-07-01", None,
     "Quyết định ban hành Quy chế tổ chức và hoạt động của Trung tâm Phục vụ hành chính công tỉnh "
     "và Bộ phận Một cửa cấp xã", "Cải cách hành chính, Dịch vụ công", "", "", True),
    ("quyet-dinh-40-2020", "40/2020/QĐ-UBND", "quyet-dinh", UBT, "2020-11-18", "2020-12-01", None,
     "Quyết định ban hành Quy định quản lý, vận hành Cổng thông tin điện tử tỉnh",
     "Công nghệ thông tin", "ngung-hieu-luc",
     "Ngưng hiệu lực theo Quyết định số 512/QĐ-UBND ngày 02/3/2026 để sửa đổi cho phù hợp "
     "với Nghị định số 52/2021/NĐ-CP.", False),
    ("quyet-dinh-512-2026", "512/QĐ-UBND", "quyet-dinh", UBT, "2026-03-02", "2026-03-02", None,
     "Quyết định ngưng hiệu lực Quyết định số 40/2020/QĐ-UBND",
     "Công nghệ thông tin", "", "", False),
    ("ke-hoach-86-2024", "86/KH-UBND", "ke-hoach", UBT, "2024-01-15", "2024-01-15", "2024-12-31",
     "Kế hoạch cải cách hành chính năm 2024", "Cải cách hành chính", "", "", False),
    ("ke-hoach-102-2026", "102/KH-UBND", "ke-hoach", UBT, "2026-01-10", "2026-01-10", None,
     "Kế hoạch cải cách hành chính năm 2026", "Cải cách hành chính", "", "", True),
    ("quyet-dinh-19-2022", "19/2022/QĐ-UBND", "quyet-dinh", UBT, "2022-05-20", "2022-06-01", "2026-02-01",
     "Quyết định quy định phân cấp quản lý nhà nước về an toàn thực phẩm trên địa bàn tỉnh",
     "Y tế, An toàn thực phẩm", "", "Bị bãi bỏ bởi Quyết định số 05/2026/QĐ-UBND.", False),
    ("quyet-dinh-05-2026", "05/2026/QĐ-UBND", "quyet-dinh", UBT, "2026-01-20", "2026-02-01", None,
     "Quyết định bãi bỏ Quyết định số 19/2022/QĐ-UBND về phân cấp quản lý an toàn thực phẩm",
     "Y tế, An toàn thực phẩm", "", "", False),
    ("cong-van-7105", "7105/UBND-HCC", "cong-van", UBT, "2025-10-08", None, None,
     "Về việc tăng cường thanh toán trực tuyến phí, lệ phí giải quyết thủ tục hành chính",
     "Cải cách hành chính, Phí và lệ phí", "", "", False),
    ("chi-thi-03-2023", "03/CT-UBND", "chi-thi", UBT, "2023-04-20", "2023-04-20", None,
     "Chỉ thị về tăng cường kỷ luật, kỷ cương hành chính trong giải quyết thủ tục hành chính",
     "Cải cách hành chính, Tổ chức bộ máy", "", "", False),
    ("huong-dan-15-stp", "15/HD-STP", "huong-dan", STP, "2024-03-05", "2024-03-05", None,
     "Hướng dẫn rà soát, hệ thống hóa văn bản quy phạm pháp luật trên địa bàn tỉnh",
     "Tư pháp", "", "", True),
    ("thong-bao-120-stp", "120/TB-STP", "thong-bao", STP, "2025-12-01", None, None,
     "Thông báo kết quả rà soát văn bản quy phạm pháp luật năm 2025", "Tư pháp", "", "", False),
    ("ke-hoach-45-stp", "45/KH-STP", "ke-hoach", STP, "2026-02-12", "2026-02-12", None,
     "Kế hoạch phổ biến, giáo dục pháp luật năm 2026", "Phổ biến giáo dục pháp luật", "", "", False),
    ("huong-dan-02-snv", "02/HD-SNV", "huong-dan", SNV, "2025-06-25", "2025-06-25", None,
     "Hướng dẫn sắp xếp tổ chức bộ máy chính quyền địa phương hai cấp",
     "Tổ chức bộ máy", "", "", False),
    ("quyet-dinh-96-xa", "96/QĐ-UBND", "quyet-dinh", UBX, "2021-04-10", "2021-04-10", "2025-07-01",
     "Quyết định công bố danh mục thủ tục hành chính tiếp nhận tại Bộ phận Một cửa xã",
     "Cải cách hành chính", "", "Được thay thế bởi Quyết định số 188/QĐ-UBND.", False),
    ("quyet-dinh-188-xa", "188/QĐ-UBND", "quyet-dinh", UBX, "2025-06-28", "2025-07-01", None,
     "Quyết định công bố danh mục thủ tục hành chính tiếp nhận tại Bộ phận Một cửa xã "
     "theo mô hình chính quyền hai cấp", "Cải cách hành chính, Dịch vụ công", "", "", False),
    ("quyet-dinh-215-xa", "215/QĐ-UBND", "quyet-dinh", UBX, "2025-08-15", "2025-08-15", None,
     "Quyết định ban hành Quy chế làm việc của Ủy ban nhân dân xã", "Tổ chức bộ máy", "", "", False),
    ("ke-hoach-30-xa", "30/KH-UBND", "ke-hoach", UBX, "2026-01-05", "2026-01-05", None,
     "Kế hoạch thực hiện công tác cải cách hành chính năm 2026 trên địa bàn xã",
     "Cải cách hành chính", "", "", True),
    ("thong-bao-58-xa", "58/TB-UBND", "thong-bao", UBX, "2026-09-01", None, None,
     "Thông báo lịch tiếp công dân định kỳ của Chủ tịch Ủy ban nhân dân xã", "Tiếp công dân", "", "",
     False),
]  # fmt: skip

GAZETTE = {
    "nghi-quyet-24-2021": ("Số 03+04", "2022-01-12"),
    "nghi-quyet-09-2025": ("Số 41+42", "2025-07-28"),
    "quyet-dinh-12-2025": ("Số 37+38", "2025-06-30"),
    "quyet-dinh-05-2026": ("Số 07+08", "2026-01-29"),
}

# source, kind, target: "source <kind> target".
RELATIONS = [
    ("nghi-dinh-93-2024", "sua-doi-bo-sung", "nghi-dinh-118-2019"),
    ("thong-tu-02-2025", "thay-the", "thong-tu-04-2020"),
    ("thong-tu-02-2025", "huong-dan", "nghi-dinh-118-2019"),
    ("nghi-quyet-24-2021", "thay-the", "nghi-quyet-17-2019"),
    ("nghi-quyet-09-2025", "sua-doi-bo-sung", "nghi-quyet-24-2021"),
    ("quyet-dinh-12-2025", "thay-the", "quyet-dinh-25-2019"),
    ("quyet-dinh-12-2025", "can-cu", "nghi-dinh-118-2019"),
    ("quyet-dinh-12-2025", "can-cu", "nghi-dinh-93-2024"),
    ("quyet-dinh-512-2026", "dinh-chi", "quyet-dinh-40-2020"),
    ("quyet-dinh-512-2026", "can-cu", "nghi-dinh-52-2021"),
    ("quyet-dinh-05-2026", "bai-bo", "quyet-dinh-19-2022"),
    ("chi-thi-03-2023", "can-cu", "chi-thi-08-2023"),
    ("huong-dan-15-stp", "huong-dan", "thong-tu-07-2021"),
    ("thong-bao-120-stp", "can-cu", "huong-dan-15-stp"),
    ("quyet-dinh-188-xa", "thay-the", "quyet-dinh-96-xa"),
    ("quyet-dinh-188-xa", "can-cu", "quyet-dinh-12-2025"),
    ("ke-hoach-30-xa", "can-cu", "ke-hoach-102-2026"),
    ("ke-hoach-102-2026", "lien-quan", "cong-van-7105"),
    ("nghi-quyet-12-2026", "can-cu", "nghi-dinh-15-2026"),
]


def tiny_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a few lines of text (standard font, so ASCII only)."""
    text = " ".join(
        f"({line.replace(chr(92), '').replace('(', '[').replace(')', ']')}) Tj 0 -18 Td" for line in lines
    )
    stream = f"BT /F1 12 Tf 56 780 Td {text} ET".encode("ascii", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _published_at(day: dt.date | None) -> dt.datetime:
    """Published the morning it was issued, never in the future."""
    latest = utcnow() - dt.timedelta(hours=1)
    if day is None:
        return latest
    return min(dt.datetime(day.year, day.month, day.day, 8, tzinfo=TZ).astimezone(dt.UTC), latest)


def _attach_pdf(store, doc, number: str, title: str) -> None:
    pdf = tiny_pdf([fold(f"So: {number}"), fold(title)[:90], "Van ban mau - du lieu thu nghiem"])
    sha, size = store.put(io.BytesIO(pdf))
    filename = fold(number).replace("/", "-") + ".pdf"
    doc.attachments = [
        Attachment(slot="attachment", title=filename, filename=filename, mime_type="application/pdf",
                   size=size, sha256=sha)
    ]  # fmt: skip


def _create_document(db, model, folder, row, owner, store):
    name, number, doc_type, issuer, issued, effective, expiry, title, fields, override, reason, pdf = row
    when = _published_at(_date(issued))
    signer, signer_title = SIGNERS[issuer]
    gazette_number, gazette_date = GAZETTE.get(name, ("", None))
    doc = model(
        title=title, description="", number=number, doc_type=doc_type, issuer=issuer,
        signer=signer, signer_title=signer_title, issued_on=_date(issued),
        effective_on=_date(effective), expiry_on=_date(expiry),
        gazette_number=gazette_number, gazette_date=_date(gazette_date),
        summary=title, validity=override, validity_reason=reason,
        owner_id=owner.id if owner else None, created=when, modified=when,
    )  # fmt: skip
    set_terms(doc, FIELD, parse_labels(fields))
    if pdf and store is not None:
        _attach_pdf(store, doc, number, title)
    tree.add_child(db, folder, doc, name=name)
    publish(db, doc, owner, when)
    return doc


def documents_loader(settings):
    """The demo loader, with the settings it needs to store the PDFs in the blob store."""

    def load(db, types, root, owner) -> int:
        from .legal_document import DocumentRelation

        folder, created = ensure_folder(
            db, types, root, "van-ban", "Văn bản",
            "Văn bản quy phạm pháp luật, văn bản chỉ đạo, điều hành.", owner,
        )  # fmt: skip
        count = int(created)
        store = store_for(settings) if settings and settings.get("portal.data_dir") else None
        model = types["legal_document"].model
        docs = {}
        for row in DOCUMENTS:
            doc = find(db, folder, row[0])
            if doc is None:
                doc = _create_document(db, model, folder, row, owner, store)
                count += 1
            docs[row[0]] = doc
        db.flush()
        rel = DocumentRelation
        ids = [d.id for d in docs.values()]
        stored = set(db.execute(select(rel.source_id, rel.kind, rel.target_id).where(rel.source_id.in_(ids))))
        for source, kind, target in RELATIONS:
            key = (docs[source].id, kind, docs[target].id)
            if key not in stored:
                db.add(rel(source_id=key[0], kind=kind, target_id=key[2]))
        return count

    return load


# --- reviews -----------------------------------------------------------------------

# name, document, round, reviewed, recommendation, assessment, reason, agency, deadline
REVIEWS = [
    ("ra-soat-nghi-quyet-24-2021", "nghi-quyet-24-2021", "2025", "2025-10-15", "sua-doi-bo-sung",
     "Mức thu một số loại lệ phí không còn phù hợp sau khi sắp xếp chính quyền địa phương hai cấp.",
     "Cần bổ sung lệ phí cho thủ tục thực hiện tại cấp xã.", STP, "2026-06-30"),
    ("ra-soat-quyet-dinh-25-2019", "quyet-dinh-25-2019", "2025", "2025-10-20", "thay-the",
     "Quy chế được ban hành khi còn cấp huyện; nhiều quy định không còn đối tượng áp dụng.",
     "Đã được thay thế bởi Quyết định số 12/2025/QĐ-UBND.", SNV, None),
    ("ra-soat-quyet-dinh-19-2022", "quyet-dinh-19-2022", "2025", "2025-11-03", "bai-bo",
     "Nội dung phân cấp đã được quy định tại văn bản của trung ương.",
     "Không còn cần thiết ban hành văn bản riêng của tỉnh.", "Sở Y tế", "2026-01-31"),
    ("ra-soat-quyet-dinh-40-2020", "quyet-dinh-40-2020", "2026", "2026-02-20", "ngung-hieu-luc",
     "Một số quy định về cấp phép đăng tin trái với Nghị định số 52/2021/NĐ-CP.",
     "Ngưng hiệu lực để sửa đổi cho phù hợp.", "Sở Khoa học và Công nghệ", "2026-09-30"),
    ("ra-soat-quyet-dinh-12-2025", "quyet-dinh-12-2025", "2026", "2026-06-10", "giu-nguyen",
     "Quy chế phù hợp với quy định hiện hành và thực tiễn vận hành Bộ phận Một cửa cấp xã.",
     "", SNV, None),
    ("ra-soat-nghi-quyet-31-2020", "nghi-quyet-31-2020", "2025", "2025-12-05", "ban-hanh-moi",
     "Kế hoạch giai đoạn 2021 - 2025 kết thúc; cần kế hoạch cho giai đoạn tiếp theo.",
     "Đề nghị ban hành nghị quyết về kế hoạch đầu tư công trung hạn giai đoạn 2026 - 2030.",
     "Sở Tài chính", "2026-03-31"),
]  # fmt: skip

# list name, title, round, kind, decision, [(document name, reason, expired on)]
LISTS = [
    ("danh-muc-het-hieu-luc-toan-bo-2025", "Danh mục văn bản hết hiệu lực toàn bộ năm 2025", "2025",
     "het-hieu-luc-toan-bo", "Quyết định số 88/QĐ-UBND ngày 15/01/2026 của Ủy ban nhân dân tỉnh",
     [("thong-tu-04-2020", "Được thay thế bởi Thông tư số 02/2025/TT-BNV", "2025-04-01"),
      ("quyet-dinh-25-2019", "Được thay thế bởi Quyết định số 12/2025/QĐ-UBND", "2025-07-01"),
      ("quyet-dinh-96-xa", "Được thay thế bởi Quyết định số 188/QĐ-UBND", "2025-07-01"),
      ("nghi-quyet-31-2020", "Hết thời hạn có hiệu lực đã được quy định trong văn bản", "2025-12-31")]),
    ("danh-muc-het-hieu-luc-mot-phan-2025", "Danh mục văn bản hết hiệu lực một phần năm 2025", "2025",
     "het-hieu-luc-mot-phan", "Quyết định số 88/QĐ-UBND ngày 15/01/2026 của Ủy ban nhân dân tỉnh",
     [("nghi-quyet-24-2021", "Khoản 2 Điều 3 được sửa đổi bởi Nghị quyết số 09/2025/NQ-HĐND", "2025-08-01"),
      ("nghi-dinh-118-2019", "Điều 15 và Điều 21 được sửa đổi, bổ sung bởi Nghị định số 93/2024/NĐ-CP",
       "2024-09-01")]),
]  # fmt: skip


def reviews_loader(db, types, root, owner) -> int:
    docs_folder = find(db, root, "van-ban")
    if docs_folder is None:
        return 0
    folder, created = ensure_folder(
        db, types, root, "ra-soat-van-ban", "Rà soát văn bản",
        "Kết quả rà soát, hệ thống hóa văn bản và các danh mục công bố.", owner,
    )  # fmt: skip
    if created:
        folder.exclude_from_nav = True  # reached from /van-ban; the main menu stays short
    count = int(created)
    review_model = types["legal_document_review"].model
    for name, doc_name, rnd, reviewed, recommendation, assessment, reason, agency, deadline in REVIEWS:
        doc = find(db, docs_folder, doc_name)
        if doc is None or find(db, folder, name) is not None:
            continue
        when = _published_at(_date(reviewed))
        review = review_model(
            title=f"Kết quả rà soát {doc.title[0].lower()}{doc.title[1:]} ({doc.number})"[:500],
            description="", document_id=doc.id, review_round=rnd, reviewed_on=_date(reviewed),
            basis="Thông tư số 07/2021/TT-BTP; Hướng dẫn số 15/HD-STP của Sở Tư pháp.",
            reviewing_body=STP, assessment=assessment, recommendation=recommendation,
            reason=reason, responsible_agency=agency, deadline=_date(deadline),
            owner_id=owner.id if owner else None, created=when, modified=when,
        )  # fmt: skip
        tree.add_child(db, folder, review, name=name)
        publish(db, review, owner, when)
        count += 1

    list_model = types["review_list"].model
    entry_model = list_model.entries.property.mapper.class_
    for name, title, rnd, kind, decision, items in LISTS:
        if find(db, folder, name) is not None:
            continue
        when = _published_at(dt.date(2026, 1, 16))
        review_list = list_model(
            title=title, description=f"Công bố kèm theo {decision}.", review_round=rnd, list_kind=kind,
            issuing_decision=decision, owner_id=owner.id if owner else None, created=when, modified=when,
        )  # fmt: skip
        entries = []
        for i, (doc_name, reason, expired_on) in enumerate(items):
            doc = find(db, docs_folder, doc_name)
            if doc is None:
                continue
            entries.append(
                entry_model(
                    position=i,
                    document_id=doc.id,
                    number=doc.number,
                    issued_on=doc.issued_on,
                    title=doc.title,
                    reason=reason,
                    expired_on=_date(expired_on),
                )  # fmt: skip
            )
        review_list.entries = entries
        tree.add_child(db, folder, review_list, name=name)
        publish(db, review_list, owner, when)
        count += 1
    return count
