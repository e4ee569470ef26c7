"""Demo administrative procedures: a "Thủ tục hành chính" folder with procedures in ten
fields, written for this project from compact tables below.

Loading is idempotent: a procedure whose name exists in the folder is left alone.
Legal-basis rows link to a Legal document of the site when its number matches (the
legal-document demo loads first); otherwise they stay text.
"""

from __future__ import annotations

import datetime as dt
import io

from sqlalchemy import select

from portal import tree
from portal.blobs import store_for
from portal.demo import ensure_folder, find, publish
from portal.models import utcnow
from portal.text import fold, slugify

from .legal_document import LegalDocument
from .procedure import Procedure, ProcedureLegalBasis

FOLDER = ("thu-tuc-hanh-chinh", "Thủ tục hành chính", "Danh mục thủ tục hành chính, hồ sơ, phí và nơi nộp.")
ONLINE_URL = "https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-hanh-chinh.html?ma_thu_tuc={code}"
DECISION = "Quyết định số 1560/QĐ-UBND ngày 12/8/2025 của Chủ tịch Ủy ban nhân dân tỉnh"
ONE_STOP = "Bộ phận Một cửa Ủy ban nhân dân xã, số 1 đường Trung tâm, ấp Hòa Bình"
PROVINCE_CENTRE = "Trung tâm Phục vụ hành chính công tỉnh, số 8 đường Cách Mạng Tháng Tám"

# Legal documents cited by several procedures: (number, summary, issued, issuer).
LAW = {
    "ho-tich": ("60/2014/QH13", "Luật Hộ tịch", "2014-11-20", "Quốc hội"),
    "nd-ho-tich": (
        "123/2015/NĐ-CP",
        "Nghị định quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch",
        "2015-11-15",
        "Chính phủ",
    ),
    "le-phi-ho-tich": (
        "09/2025/NQ-HĐND",
        "Nghị quyết sửa đổi mức thu lệ phí đăng ký hộ tịch trên địa bàn tỉnh",
        "2025-07-15",
        "Hội đồng nhân dân tỉnh",
    ),
    "phi-le-phi": (
        "24/2021/NQ-HĐND",
        "Nghị quyết quy định mức thu, chế độ thu, nộp, quản lý và sử dụng một số loại phí, lệ phí",
        "2021-12-10",
        "Hội đồng nhân dân tỉnh",
    ),
    "mot-cua": (
        "12/2025/QĐ-UBND",
        "Quyết định ban hành Quy chế tổ chức và hoạt động của Trung tâm Phục vụ hành chính công "
        "tỉnh và Bộ phận Một cửa cấp xã",
        "2025-06-20",
        "Ủy ban nhân dân tỉnh",
    ),
    "chung-thuc": (
        "23/2015/NĐ-CP",
        "Nghị định về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính, chứng thực chữ ký "
        "và chứng thực hợp đồng, giao dịch",
        "2015-02-16",
        "Chính phủ",
    ),
    "dat-dai": ("31/2024/QH15", "Luật Đất đai", "2024-01-18", "Quốc hội"),
    "nd-dat-dai": (
        "101/2024/NĐ-CP",
        "Nghị định quy định về điều tra cơ bản đất đai; đăng ký, cấp Giấy chứng nhận quyền sử dụng "
        "đất, quyền sở hữu tài sản gắn liền với đất và hệ thống thông tin đất đai",
        "2024-07-29",
        "Chính phủ",
    ),
    "xay-dung": ("50/2014/QH13", "Luật Xây dựng", "2014-06-18", "Quốc hội"),
    "nd-xay-dung": (
        "175/2024/NĐ-CP",
        "Nghị định quy định chi tiết một số điều và biện pháp thi hành Luật Xây dựng về quản lý "
        "hoạt động xây dựng",
        "2024-12-30",
        "Chính phủ",
    ),
    "kinh-doanh": (
        "168/2025/NĐ-CP",
        "Nghị định về đăng ký doanh nghiệp",
        "2025-06-30",
        "Chính phủ",
    ),
    "bao-tro": (
        "20/2021/NĐ-CP",
        "Nghị định quy định chính sách trợ giúp xã hội đối với đối tượng bảo trợ xã hội",
        "2021-03-15",
        "Chính phủ",
    ),
    "nguoi-co-cong": (
        "02/2020/UBTVQH14",
        "Pháp lệnh Ưu đãi người có công với cách mạng",
        "2020-12-09",
        "Ủy ban Thường vụ Quốc hội",
    ),
    "nd-nguoi-co-cong": (
        "131/2021/NĐ-CP",
        "Nghị định quy định chi tiết và biện pháp thi hành Pháp lệnh Ưu đãi người có công với cách mạng",
        "2021-12-30",
        "Chính phủ",
    ),
    "giao-duc": ("43/2019/QH14", "Luật Giáo dục", "2019-06-14", "Quốc hội"),
    "con-nuoi": ("52/2010/QH12", "Luật Nuôi con nuôi", "2010-06-17", "Quốc hội"),
    "ton-giao": ("02/2016/QH14", "Luật Tín ngưỡng, tôn giáo", "2016-11-18", "Quốc hội"),
}

XA = "Ủy ban nhân dân cấp xã"
# Who handles a field's procedures at provincial level: (implementing, competent).
PROVINCE_AGENCY = {
    "Đất đai": ("Sở Nông nghiệp và Môi trường", "Ủy ban nhân dân tỉnh"),
    "Bảo trợ xã hội": ("Sở Y tế", "Sở Y tế"),
    "Người có công": ("Sở Nội vụ", "Sở Nội vụ"),
    "Tôn giáo": ("Sở Dân tộc và Tôn giáo", "Sở Dân tộc và Tôn giáo"),
}

# What a field's procedures share: agencies, where to file, who may file, the steps,
# the legal basis and the usual papers everyone brings.
FIELDS = {
    "Hộ tịch": {
        "agency": XA,
        "competent": "Chủ tịch Ủy ban nhân dân cấp xã",
        "address": ONE_STOP,
        "applicants": "Công dân Việt Nam\nNgười nước ngoài thường trú tại Việt Nam",
        "basis": ("ho-tich", "nd-ho-tich", "le-phi-ho-tich"),
        "common": (
            ("Bản sao giấy tờ tùy thân của người nộp (nếu nộp trực tuyến thì không phải nộp)", "Bản sao: 1"),
        ),
        "steps": (
            "Người yêu cầu nộp hồ sơ trực tiếp tại Bộ phận Một cửa hoặc trực tuyến trên Cổng Dịch vụ công.",
            "Công chức tư pháp - hộ tịch kiểm tra, đối chiếu giấy tờ; hướng dẫn bổ sung nếu hồ sơ "
            "chưa đầy đủ.",
            "Công chức ghi vào Sổ hộ tịch, cập nhật Cơ sở dữ liệu hộ tịch điện tử và trình Chủ tịch "
            "Ủy ban nhân dân ký.",
            "Trả kết quả tại Bộ phận Một cửa, qua bưu chính hoặc bản điện tử vào tài khoản định danh.",
        ),
    },
    "Chứng thực": {
        "agency": XA,
        "competent": "Chủ tịch hoặc Phó Chủ tịch Ủy ban nhân dân cấp xã",
        "address": ONE_STOP,
        "applicants": "Cá nhân, tổ chức có yêu cầu chứng thực",
        "basis": ("chung-thuc", "phi-le-phi"),
        "common": (),
        "steps": (
            "Người yêu cầu xuất trình giấy tờ tại Bộ phận Một cửa.",
            "Người tiếp nhận kiểm tra giấy tờ; nếu đủ điều kiện thì thực hiện chứng thực, ghi vào Sổ "
            "chứng thực.",
            "Người có thẩm quyền ký, đóng dấu; người yêu cầu nộp lệ phí và nhận kết quả.",
        ),
    },
    "Đất đai": {
        "agency": "Văn phòng đăng ký đất đai - Chi nhánh khu vực",
        "competent": "Sở Nông nghiệp và Môi trường",
        "address": ONE_STOP + "\n" + PROVINCE_CENTRE,
        "applicants": "Hộ gia đình, cá nhân, cộng đồng dân cư sử dụng đất",
        "basis": ("dat-dai", "nd-dat-dai", "phi-le-phi"),
        "common": (("Giấy chứng nhận đã cấp", "Bản chính: 1"),),
        "steps": (
            "Người sử dụng đất nộp hồ sơ tại Bộ phận Một cửa cấp xã hoặc Trung tâm Phục vụ hành chính "
            "công tỉnh, hoặc nộp trực tuyến.",
            "Văn phòng đăng ký đất đai kiểm tra hồ sơ, trích lục, trích đo địa chính khi cần.",
            "Cập nhật cơ sở dữ liệu đất đai; xác nhận biến động hoặc trình cấp Giấy chứng nhận.",
            "Trả kết quả sau khi người sử dụng đất hoàn thành nghĩa vụ tài chính.",
        ),
    },
    "Xây dựng": {
        "agency": "Sở Xây dựng",
        "competent": "Sở Xây dựng",
        "address": PROVINCE_CENTRE,
        "applicants": "Chủ đầu tư là tổ chức, cá nhân",
        "basis": ("xay-dung", "nd-xay-dung"),
        "common": (("Đơn đề nghị theo mẫu", "Bản chính: 1"),),
        "steps": (
            "Chủ đầu tư nộp hồ sơ trực tiếp, qua bưu chính hoặc trực tuyến.",
            "Cơ quan tiếp nhận kiểm tra hồ sơ; thông báo bằng văn bản nếu cần bổ sung (một lần).",
            "Thẩm định hồ sơ, kiểm tra thực địa khi cần, lấy ý kiến các cơ quan liên quan.",
            "Cấp giấy phép hoặc trả lời bằng văn bản nêu rõ lý do không cấp.",
        ),
    },
    "Đăng ký kinh doanh": {
        "agency": XA,
        "competent": "Ủy ban nhân dân cấp xã",
        "address": ONE_STOP,
        "applicants": "Cá nhân, thành viên hộ gia đình là công dân Việt Nam có năng lực hành vi dân sự "
        "đầy đủ",
        "basis": ("kinh-doanh", "phi-le-phi"),
        "common": (("Bản sao giấy tờ pháp lý của chủ hộ kinh doanh", "Bản sao: 1"),),
        "steps": (
            "Chủ hộ kinh doanh nộp hồ sơ tại Bộ phận Một cửa hoặc trên Cổng Dịch vụ công.",
            "Cơ quan đăng ký kinh doanh trao giấy biên nhận và kiểm tra tính hợp lệ của hồ sơ.",
            "Cấp hoặc thông báo bằng văn bản những nội dung cần sửa đổi, bổ sung.",
        ),
    },
    "Bảo trợ xã hội": {
        "agency": XA,
        "competent": "Chủ tịch Ủy ban nhân dân cấp xã",
        "address": ONE_STOP,
        "applicants": "Đối tượng bảo trợ xã hội hoặc người giám hộ, người thân của đối tượng",
        "basis": ("bao-tro",),
        "common": (("Tờ khai thông tin của đối tượng theo mẫu", "Bản chính: 1"),),
        "steps": (
            "Đối tượng hoặc người giám hộ nộp hồ sơ tại Bộ phận Một cửa.",
            "Công chức văn hóa - xã hội xác minh, niêm yết công khai kết quả xét duyệt 02 ngày làm việc.",
            "Chủ tịch Ủy ban nhân dân cấp xã quyết định; trả kết quả và chi trả từ tháng được hưởng.",
        ),
    },
    "Người có công": {
        "agency": XA,
        "competent": "Sở Nội vụ",
        "address": ONE_STOP,
        "applicants": "Người có công với cách mạng và thân nhân",
        "basis": ("nguoi-co-cong", "nd-nguoi-co-cong"),
        "common": (("Bản sao giấy tờ chứng minh là người có công hoặc thân nhân", "Bản sao: 1"),),
        "steps": (
            "Người đề nghị nộp hồ sơ tại Bộ phận Một cửa cấp xã.",
            "Ủy ban nhân dân cấp xã xác nhận, lập danh sách gửi Sở Nội vụ.",
            "Sở Nội vụ thẩm định, ra quyết định và gửi kết quả về xã để trả cho người đề nghị.",
        ),
    },
    "Giáo dục và Đào tạo": {
        "agency": "Sở Giáo dục và Đào tạo",
        "competent": "Sở Giáo dục và Đào tạo",
        "address": PROVINCE_CENTRE,
        "applicants": "Cá nhân, tổ chức",
        "basis": ("giao-duc",),
        "common": (),
        "steps": (
            "Người đề nghị nộp hồ sơ trực tiếp, qua bưu chính hoặc trực tuyến.",
            "Cơ quan tiếp nhận kiểm tra, đối chiếu với hồ sơ lưu.",
            "Trả kết quả hoặc văn bản trả lời nêu rõ lý do.",
        ),
    },
    "Nuôi con nuôi": {
        "agency": XA,
        "competent": "Ủy ban nhân dân cấp xã nơi thường trú của người được nhận làm con nuôi",
        "address": ONE_STOP,
        "applicants": "Công dân Việt Nam thường trú ở trong nước",
        "basis": ("con-nuoi", "ho-tich"),
        "common": (("Đơn xin nhận con nuôi theo mẫu", "Bản chính: 1"),),
        "steps": (
            "Người nhận con nuôi nộp hồ sơ tại Bộ phận Một cửa.",
            "Công chức tư pháp - hộ tịch lấy ý kiến của những người liên quan, kiểm tra điều kiện.",
            "Tổ chức đăng ký, trao Giấy chứng nhận nuôi con nuôi có sự chứng kiến của các bên.",
        ),
    },
    "Tôn giáo": {
        "agency": XA,
        "competent": "Ủy ban nhân dân cấp xã",
        "address": ONE_STOP,
        "applicants": "Tổ chức tôn giáo, cơ sở tín ngưỡng, nhóm người theo tín ngưỡng",
        "basis": ("ton-giao",),
        "common": (("Văn bản đăng ký, đề nghị theo mẫu", "Bản chính: 1"),),
        "steps": (
            "Tổ chức, cá nhân gửi văn bản đến Ủy ban nhân dân cấp xã.",
            "Ủy ban nhân dân cấp xã xem xét và có văn bản trả lời trong thời hạn quy định.",
        ),
    },
}

# (field, code, title, level, online, days, fee, papers, result, requirements)
# ``online``: toan-trinh / mot-phan / khong. ``papers``: (name, copies, has a form template).
PROCEDURES = [
    (
        "Hộ tịch",
        "1.001193",
        "Thủ tục đăng ký khai sinh",
        "cap-xa",
        "toan-trinh",
        "Ngay trong ngày làm việc",
        "Miễn lệ phí",
        (
            ("Tờ khai đăng ký khai sinh theo mẫu", "Bản chính: 1", True),
            ("Giấy chứng sinh hoặc văn bản của người làm chứng", "Bản chính: 1", False),
        ),
        "Giấy khai sinh (bản chính) và bản điện tử",
        "",
    ),
    (
        "Hộ tịch",
        "1.000894",
        "Thủ tục đăng ký kết hôn",
        "cap-xa",
        "mot-phan",
        "Ngay trong ngày làm việc",
        "Miễn lệ phí",
        (("Tờ khai đăng ký kết hôn theo mẫu", "Bản chính: 1", True),),
        "Giấy chứng nhận kết hôn",
        "Hai bên nam, nữ phải có mặt khi đăng ký kết hôn.",
    ),
    (
        "Hộ tịch",
        "1.000656",
        "Thủ tục đăng ký khai tử",
        "cap-xa",
        "toan-trinh",
        "Ngay trong ngày làm việc",
        "Miễn lệ phí",
        (
            ("Tờ khai đăng ký khai tử theo mẫu", "Bản chính: 1", True),
            ("Giấy báo tử hoặc giấy tờ thay thế giấy báo tử", "Bản chính: 1", False),
        ),
        "Trích lục khai tử",
        "",
    ),
    (
        "Hộ tịch",
        "2.000635",
        "Thủ tục cấp bản sao trích lục hộ tịch",
        "cap-xa",
        "toan-trinh",
        "Ngay trong ngày làm việc",
        "8.000 đồng/bản sao trích lục",
        (("Tờ khai cấp bản sao trích lục hộ tịch", "Bản chính: 1", True),),
        "Bản sao trích lục hộ tịch",
        "",
    ),
    (
        "Hộ tịch",
        "1.004873",
        "Thủ tục cấp giấy xác nhận tình trạng hôn nhân",
        "cap-xa",
        "toan-trinh",
        "03 ngày làm việc",
        "Lệ phí 3.000 đồng",
        (("Tờ khai cấp giấy xác nhận tình trạng hôn nhân", "Bản chính: 1", True),),
        "Giấy xác nhận tình trạng hôn nhân",
        "",
    ),
    (
        "Hộ tịch",
        "1.004859",
        "Thủ tục đăng ký lại khai sinh",
        "cap-xa",
        "mot-phan",
        "05 ngày làm việc",
        "Lệ phí 5.000 đồng",
        (
            ("Tờ khai đăng ký lại khai sinh", "Bản chính: 1", True),
            ("Bản sao giấy tờ có thông tin về khai sinh (nếu có)", "Bản sao: 1", False),
        ),
        "Giấy khai sinh (đăng ký lại)",
        "Việc khai sinh đã được đăng ký nhưng sổ hộ tịch và bản chính đều bị mất.",
    ),
    (
        "Hộ tịch",
        "1.004746",
        "Thủ tục thay đổi, cải chính, bổ sung thông tin hộ tịch",
        "cap-xa",
        "mot-phan",
        "03 ngày làm việc",
        "Lệ phí 5.000 đồng",
        (
            ("Tờ khai thay đổi, cải chính, bổ sung thông tin hộ tịch", "Bản chính: 1", True),
            ("Giấy tờ chứng minh cơ sở của việc thay đổi, cải chính", "Bản sao: 1", False),
        ),
        "Trích lục thay đổi, cải chính, bổ sung thông tin hộ tịch",
        "",
    ),
    (
        "Hộ tịch",
        "1.001022",
        "Thủ tục đăng ký nhận cha, mẹ, con",
        "cap-xa",
        "khong",
        "03 ngày làm việc",
        "Lệ phí 15.000 đồng",
        (
            ("Tờ khai đăng ký nhận cha, mẹ, con", "Bản chính: 1", True),
            ("Chứng cứ chứng minh quan hệ cha, mẹ, con", "Bản chính: 1", False),
        ),
        "Trích lục đăng ký nhận cha, mẹ, con",
        "Các bên phải có mặt khi đăng ký.",
    ),
    (
        "Chứng thực",
        "2.000815",
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
        "cap-xa",
        "khong",
        "Ngay trong ngày làm việc",
        "2.000 đồng/trang; từ trang thứ 3 trở lên 1.000 đồng/trang",
        (
            ("Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao", "Bản chính: 1", False),
            ("Bản sao cần chứng thực", "Bản sao: 1", False),
        ),
        "Bản sao được chứng thực từ bản chính",
        "",
    ),
    (
        "Chứng thực",
        "2.000884",
        "Chứng thực chữ ký trong các giấy tờ, văn bản",
        "cap-xa",
        "khong",
        "Ngay trong ngày làm việc",
        "10.000 đồng/trường hợp",
        (("Giấy tờ, văn bản cần chứng thực chữ ký", "Bản chính: 1", False),),
        "Giấy tờ, văn bản được chứng thực chữ ký",
        "Người yêu cầu phải ký trước mặt người thực hiện chứng thực.",
    ),
    (
        "Chứng thực",
        "2.001035",
        "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản",
        "cap-xa",
        "khong",
        "02 ngày làm việc",
        "50.000 đồng/hợp đồng, giao dịch",
        (
            ("Dự thảo hợp đồng, giao dịch", "Bản chính: 1", True),
            ("Bản sao giấy chứng nhận quyền sở hữu tài sản", "Bản sao: 1", False),
        ),
        "Hợp đồng, giao dịch được chứng thực",
        "",
    ),
    (
        "Chứng thực",
        "2.001019",
        "Chứng thực di chúc",
        "cap-xa",
        "khong",
        "02 ngày làm việc",
        "50.000 đồng/di chúc",
        (("Dự thảo di chúc", "Bản chính: 1", False),),
        "Di chúc được chứng thực",
        "Người lập di chúc phải tự mình yêu cầu chứng thực.",
    ),
    (
        "Chứng thực",
        "2.000913",
        "Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch",
        "cap-xa",
        "khong",
        "02 ngày làm việc",
        "30.000 đồng/hợp đồng, giao dịch",
        (
            ("Hợp đồng sửa đổi, bổ sung hoặc văn bản hủy bỏ", "Bản chính: 1", False),
            ("Hợp đồng, giao dịch đã được chứng thực", "Bản chính: 1", False),
        ),
        "Văn bản sửa đổi, bổ sung, hủy bỏ được chứng thực",
        "",
    ),
    (
        "Chứng thực",
        "2.000908",
        "Cấp bản sao có chứng thực từ bản chính hợp đồng, giao dịch đã được chứng thực",
        "cap-xa",
        "mot-phan",
        "02 ngày làm việc",
        "2.000 đồng/trang",
        (("Tờ khai yêu cầu cấp bản sao", "Bản chính: 1", True),),
        "Bản sao có chứng thực",
        "",
    ),
    (
        "Đất đai",
        "1.012757",
        "Đăng ký đất đai, tài sản gắn liền với đất lần đầu",
        "cap-xa",
        "mot-phan",
        "20 ngày làm việc",
        "Lệ phí cấp giấy chứng nhận theo Nghị quyết của Hội đồng nhân dân tỉnh",
        (
            ("Đơn đăng ký đất đai, tài sản gắn liền với đất theo mẫu", "Bản chính: 1", True),
            ("Giấy tờ về quyền sử dụng đất (nếu có)", "Bản sao: 1", False),
        ),
        "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
        "",
    ),
    (
        "Đất đai",
        "1.012766",
        "Đăng ký biến động do chuyển nhượng, tặng cho quyền sử dụng đất",
        "cap-xa",
        "mot-phan",
        "08 ngày làm việc",
        "Theo mức thu lệ phí trước bạ và lệ phí cấp giấy chứng nhận",
        (
            ("Đơn đăng ký biến động đất đai theo mẫu", "Bản chính: 1", True),
            ("Hợp đồng chuyển nhượng, tặng cho đã công chứng hoặc chứng thực", "Bản chính: 1", False),
        ),
        "Giấy chứng nhận đã xác nhận biến động hoặc Giấy chứng nhận mới",
        "",
    ),
    (
        "Đất đai",
        "1.012771",
        "Cấp đổi Giấy chứng nhận quyền sử dụng đất",
        "cap-xa",
        "mot-phan",
        "07 ngày làm việc",
        "Lệ phí 20.000 đồng/giấy",
        (("Đơn đề nghị cấp đổi Giấy chứng nhận", "Bản chính: 1", True),),
        "Giấy chứng nhận mới",
        "",
    ),
    (
        "Đất đai",
        "1.012780",
        "Đính chính Giấy chứng nhận đã cấp",
        "cap-xa",
        "khong",
        "05 ngày làm việc",
        "Miễn lệ phí",
        (("Đơn đề nghị đính chính", "Bản chính: 1", True),),
        "Giấy chứng nhận đã được đính chính",
        "",
    ),
    (
        "Đất đai",
        "1.012790",
        "Giao đất, cho thuê đất không đấu giá quyền sử dụng đất",
        "cap-tinh",
        "khong",
        "20 ngày làm việc",
        "Không",
        (
            ("Đơn xin giao đất, cho thuê đất", "Bản chính: 1", True),
            ("Bản sao văn bản chấp thuận chủ trương đầu tư (nếu có)", "Bản sao: 1", False),
        ),
        "Quyết định giao đất, cho thuê đất",
        "",
    ),
    (
        "Đất đai",
        "1.012795",
        "Chuyển mục đích sử dụng đất",
        "cap-xa",
        "mot-phan",
        "15 ngày làm việc",
        "Không",
        (("Đơn xin chuyển mục đích sử dụng đất", "Bản chính: 1", True),),
        "Quyết định cho phép chuyển mục đích sử dụng đất",
        "Phù hợp với quy hoạch sử dụng đất đã được phê duyệt.",
    ),
    (
        "Xây dựng",
        "1.009994",
        "Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, cấp II",
        "cap-tinh",
        "mot-phan",
        "20 ngày",
        "Lệ phí 150.000 đồng/giấy phép",
        (
            ("Bản vẽ thiết kế xây dựng", "Bản chính: 2", False),
            ("Quyết định phê duyệt dự án đầu tư xây dựng", "Bản sao: 1", False),
        ),
        "Giấy phép xây dựng",
        "",
    ),
    (
        "Xây dựng",
        "1.009995",
        "Cấp giấy phép xây dựng nhà ở riêng lẻ",
        "cap-xa",
        "toan-trinh",
        "15 ngày",
        "Lệ phí 75.000 đồng/giấy phép",
        (
            ("Bản vẽ thiết kế xây dựng nhà ở", "Bản chính: 2", False),
            ("Giấy tờ hợp pháp về quyền sử dụng đất", "Bản sao: 1", False),
        ),
        "Giấy phép xây dựng",
        "Phù hợp với quy hoạch chi tiết xây dựng được phê duyệt.",
    ),
    (
        "Xây dựng",
        "1.009996",
        "Cấp giấy phép sửa chữa, cải tạo công trình",
        "cap-tinh",
        "mot-phan",
        "20 ngày",
        "Lệ phí 150.000 đồng/giấy phép",
        (("Ảnh chụp hiện trạng công trình đề nghị sửa chữa, cải tạo", "Bản chính: 1", False),),
        "Giấy phép xây dựng",
        "",
    ),
    (
        "Xây dựng",
        "1.009997",
        "Gia hạn giấy phép xây dựng",
        "cap-tinh",
        "toan-trinh",
        "05 ngày làm việc",
        "Lệ phí 15.000 đồng",
        (("Giấy phép xây dựng đã được cấp", "Bản chính: 1", False),),
        "Giấy phép xây dựng được gia hạn",
        "",
    ),
    (
        "Xây dựng",
        "1.009998",
        "Cấp lại giấy phép xây dựng",
        "cap-tinh",
        "toan-trinh",
        "05 ngày làm việc",
        "Lệ phí 15.000 đồng",
        (("Giấy phép xây dựng đã được cấp (nếu bị rách, nát)", "Bản chính: 1", False),),
        "Giấy phép xây dựng được cấp lại",
        "",
    ),
    (
        "Đăng ký kinh doanh",
        "2.000575",
        "Đăng ký thành lập hộ kinh doanh",
        "cap-xa",
        "toan-trinh",
        "03 ngày làm việc",
        "Lệ phí 100.000 đồng; nộp trực tuyến được miễn",
        (
            ("Giấy đề nghị đăng ký hộ kinh doanh", "Bản chính: 1", True),
            ("Biên bản họp thành viên hộ gia đình (nếu các thành viên cùng đăng ký)", "Bản chính: 1", False),
        ),
        "Giấy chứng nhận đăng ký hộ kinh doanh",
        "",
    ),
    (
        "Đăng ký kinh doanh",
        "2.000720",
        "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh",
        "cap-xa",
        "toan-trinh",
        "03 ngày làm việc",
        "Lệ phí 50.000 đồng; nộp trực tuyến được miễn",
        (("Thông báo thay đổi nội dung đăng ký hộ kinh doanh", "Bản chính: 1", True),),
        "Giấy chứng nhận đăng ký hộ kinh doanh (thay đổi)",
        "",
    ),
    (
        "Đăng ký kinh doanh",
        "2.000644",
        "Tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo",
        "cap-xa",
        "toan-trinh",
        "03 ngày làm việc",
        "Miễn lệ phí",
        (("Thông báo tạm ngừng hoặc tiếp tục kinh doanh", "Bản chính: 1", True),),
        "Giấy xác nhận việc tạm ngừng hoặc tiếp tục kinh doanh",
        "",
    ),
    (
        "Đăng ký kinh doanh",
        "2.000660",
        "Chấm dứt hoạt động hộ kinh doanh",
        "cap-xa",
        "toan-trinh",
        "03 ngày làm việc",
        "Miễn lệ phí",
        (("Thông báo chấm dứt hoạt động hộ kinh doanh", "Bản chính: 1", True),),
        "Thông báo về việc chấm dứt hoạt động hộ kinh doanh",
        "",
    ),
    (
        "Đăng ký kinh doanh",
        "2.000589",
        "Cấp lại Giấy chứng nhận đăng ký hộ kinh doanh",
        "cap-xa",
        "mot-phan",
        "03 ngày làm việc",
        "Lệ phí 50.000 đồng",
        (("Giấy đề nghị cấp lại Giấy chứng nhận", "Bản chính: 1", True),),
        "Giấy chứng nhận đăng ký hộ kinh doanh (cấp lại)",
        "",
    ),
    (
        "Bảo trợ xã hội",
        "1.001776",
        "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng",
        "cap-xa",
        "mot-phan",
        "20 ngày làm việc",
        "Không",
        (("Bản sao giấy xác nhận khuyết tật (nếu có)", "Bản sao: 1", False),),
        "Quyết định trợ cấp xã hội hằng tháng",
        "",
    ),
    (
        "Bảo trợ xã hội",
        "1.001758",
        "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội",
        "cap-xa",
        "mot-phan",
        "05 ngày làm việc",
        "Không",
        (
            ("Tờ khai đề nghị hỗ trợ chi phí mai táng", "Bản chính: 1", True),
            ("Giấy chứng tử", "Bản sao: 1", False),
        ),
        "Quyết định hỗ trợ chi phí mai táng",
        "",
    ),
    (
        "Bảo trợ xã hội",
        "2.000286",
        "Xác định, xác định lại mức độ khuyết tật và cấp giấy xác nhận khuyết tật",
        "cap-xa",
        "mot-phan",
        "25 ngày làm việc",
        "Không",
        (("Đơn đề nghị xác định mức độ khuyết tật", "Bản chính: 1", True),),
        "Giấy xác nhận khuyết tật",
        "",
    ),
    (
        "Bảo trợ xã hội",
        "1.001739",
        "Trợ giúp xã hội khẩn cấp về hỗ trợ làm nhà ở, sửa chữa nhà ở",
        "cap-xa",
        "khong",
        "10 ngày làm việc",
        "Không",
        (("Tờ khai đề nghị hỗ trợ về nhà ở", "Bản chính: 1", True),),
        "Quyết định hỗ trợ làm nhà ở, sửa chữa nhà ở",
        "Nhà ở bị đổ, sập, hư hỏng nặng do thiên tai, hỏa hoạn.",
    ),
    (
        "Bảo trợ xã hội",
        "1.001731",
        "Đăng ký hoạt động cơ sở trợ giúp xã hội ngoài công lập",
        "cap-tinh",
        "mot-phan",
        "05 ngày làm việc",
        "Không",
        (("Tờ khai đăng ký hoạt động theo mẫu", "Bản chính: 1", True),),
        "Giấy chứng nhận đăng ký hoạt động",
        "",
    ),
    (
        "Người có công",
        "1.010801",
        "Giải quyết chế độ trợ cấp thờ cúng liệt sĩ",
        "cap-xa",
        "khong",
        "17 ngày làm việc",
        "Không",
        (("Văn bản ủy quyền thờ cúng liệt sĩ (nếu có)", "Bản chính: 1", True),),
        "Quyết định trợ cấp thờ cúng liệt sĩ",
        "",
    ),
    (
        "Người có công",
        "1.010803",
        "Hỗ trợ người có công đi làm phương tiện trợ giúp, dụng cụ chỉnh hình",
        "cap-xa",
        "mot-phan",
        "12 ngày làm việc",
        "Không",
        (("Đơn đề nghị theo mẫu", "Bản chính: 1", True),),
        "Quyết định hỗ trợ phương tiện trợ giúp",
        "",
    ),
    (
        "Người có công",
        "1.010805",
        "Giải quyết chế độ ưu đãi trong giáo dục đối với con của người có công",
        "cap-xa",
        "mot-phan",
        "12 ngày làm việc",
        "Không",
        (("Giấy xác nhận của cơ sở giáo dục nơi đang theo học", "Bản chính: 1", False),),
        "Quyết định trợ cấp ưu đãi giáo dục",
        "",
    ),
    (
        "Người có công",
        "1.010810",
        "Cấp giấy giới thiệu đi thăm viếng mộ liệt sĩ",
        "cap-tinh",
        "toan-trinh",
        "05 ngày làm việc",
        "Không",
        (("Đơn đề nghị thăm viếng mộ liệt sĩ", "Bản chính: 1", True),),
        "Giấy giới thiệu thăm viếng mộ liệt sĩ",
        "",
    ),
    (
        "Giáo dục và Đào tạo",
        "1.005092",
        "Chỉnh sửa nội dung văn bằng, chứng chỉ",
        "cap-tinh",
        "toan-trinh",
        "05 ngày làm việc",
        "Không",
        (
            ("Đơn đề nghị chỉnh sửa văn bằng", "Bản chính: 1", True),
            ("Văn bằng, chứng chỉ đề nghị chỉnh sửa", "Bản chính: 1", False),
        ),
        "Quyết định chỉnh sửa văn bằng, chứng chỉ",
        "",
    ),
    (
        "Giáo dục và Đào tạo",
        "1.005388",
        "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
        "cap-tinh",
        "toan-trinh",
        "Ngay trong ngày làm việc",
        "Theo mức phí của cơ sở cấp bản sao",
        (("Đơn đề nghị cấp bản sao từ sổ gốc", "Bản chính: 1", True),),
        "Bản sao văn bằng, chứng chỉ",
        "",
    ),
    (
        "Giáo dục và Đào tạo",
        "1.004494",
        "Chuyển trường đối với học sinh trung học cơ sở",
        "cap-xa",
        "mot-phan",
        "03 ngày làm việc",
        "Không",
        (
            ("Đơn xin chuyển trường của cha mẹ học sinh", "Bản chính: 1", True),
            ("Học bạ", "Bản chính: 1", False),
        ),
        "Văn bản đồng ý tiếp nhận học sinh",
        "",
    ),
    (
        "Nuôi con nuôi",
        "1.003005",
        "Đăng ký việc nuôi con nuôi trong nước",
        "cap-xa",
        "khong",
        "30 ngày",
        "Lệ phí 400.000 đồng",
        (
            ("Giấy khai sinh của người được nhận làm con nuôi", "Bản sao: 1", False),
            ("Giấy khám sức khỏe của người nhận con nuôi", "Bản chính: 1", False),
        ),
        "Giấy chứng nhận nuôi con nuôi",
        "Người nhận con nuôi hơn con nuôi từ 20 tuổi trở lên.",
    ),
    (
        "Nuôi con nuôi",
        "1.003160",
        "Đăng ký lại việc nuôi con nuôi trong nước",
        "cap-xa",
        "khong",
        "05 ngày làm việc",
        "Miễn lệ phí",
        (("Bản sao giấy tờ chứng minh việc nuôi con nuôi đã được đăng ký", "Bản sao: 1", False),),
        "Giấy chứng nhận nuôi con nuôi (đăng ký lại)",
        "",
    ),
    (
        "Tôn giáo",
        "1.001098",
        "Đăng ký hoạt động tín ngưỡng",
        "cap-xa",
        "khong",
        "15 ngày",
        "Không",
        (("Danh mục hoạt động tín ngưỡng hằng năm", "Bản chính: 1", False),),
        "Văn bản chấp thuận của Ủy ban nhân dân cấp xã",
        "",
    ),
    (
        "Tôn giáo",
        "1.001109",
        "Đăng ký sinh hoạt tôn giáo tập trung",
        "cap-xa",
        "mot-phan",
        "20 ngày",
        "Không",
        (("Danh sách những người đại diện nhóm sinh hoạt tôn giáo tập trung", "Bản chính: 1", False),),
        "Văn bản chấp thuận đăng ký sinh hoạt tôn giáo tập trung",
        "",
    ),
    (
        "Tôn giáo",
        "1.001167",
        "Thông báo tổ chức quyên góp của cơ sở tín ngưỡng, tổ chức tôn giáo",
        "cap-tinh",
        "khong",
        "Không quy định",
        "Không",
        (("Văn bản thông báo theo mẫu", "Bản chính: 1", True),),
        "Ủy ban nhân dân tiếp nhận thông báo",
        "",
    ),
]


def _pdf(title: str) -> bytes:
    """A one-page PDF naming the form: a stand-in for the real template."""
    text = fold(title).encode("ascii", "ignore").decode().replace("(", "").replace(")", "")
    lines = [f"Mau: {text}", "Mau don, to khai dung cho du lieu thu nghiem."]
    ops = "BT /F1 13 Tf 56 780 Td " + " ".join(f"({line}) Tj 0 -22 Td" for line in lines) + " ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(ops), ops.encode()),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (i, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _template(store, name: str) -> dict | None:
    if store is None:
        return None
    data = _pdf(name)
    sha, size = store.put(io.BytesIO(data))
    filename = slugify(name, max_length=60) + ".pdf"
    return {"sha256": sha, "filename": filename, "mime_type": "application/pdf", "size": size}


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def _steps(steps) -> str:
    items = "".join(f"<li>{s}</li>" for s in steps)
    return f"<ol>{items}</ol>"


def _ways(online: str, days: str, fee: str, code: str) -> list[dict]:
    ways = [{"channel": "truc-tiep", "processing_time": days, "fee": fee, "note": "Nộp tại Bộ phận Một cửa."}]
    if online != "khong":
        ways.append(
            {
                "channel": "truc-tuyen",
                "processing_time": days,
                "fee": fee,
                "note": "Nộp trên Cổng Dịch vụ công quốc gia; thanh toán trực tuyến.",
            }
        )
    if code[-1] in "0245689":  # not every procedure takes post
        ways.append(
            {
                "channel": "buu-chinh",
                "processing_time": days,
                "fee": fee,
                "note": "Gửi hồ sơ và nhận kết quả qua dịch vụ bưu chính công ích.",
            }
        )
    return ways


def load_demo(db, types, root, owner) -> int:
    """Create the catalogue's demo procedures under /thu-tuc-hanh-chinh/; return how many."""
    folder, created = ensure_folder(db, types, root, *FOLDER, owner)
    settings = getattr(types, "settings", None) or {}
    store = store_for(settings) if settings.get("portal.data_dir") else None
    numbers = {number for number, *_ in LAW.values()}
    documents = dict(
        db.execute(
            select(LegalDocument.number, LegalDocument.id).where(
                LegalDocument.site_id == root.site_id, LegalDocument.number.in_(numbers)
            )
        ).all()
    )
    now = utcnow()
    count = int(created)
    for i, row in enumerate(PROCEDURES):
        field, code, title, level, online, days, fee, papers, result, requirements = row
        name = slugify(title)
        if find(db, folder, name) is not None:
            continue
        spec = FIELDS[field]
        agency, competent, address = spec["agency"], spec["competent"], spec["address"]
        if level == "cap-tinh" and field in PROVINCE_AGENCY:
            agency, competent = PROVINCE_AGENCY[field]
            address = PROVINCE_CENTRE
        elif level == "cap-xa" and field in ("Xây dựng", "Giáo dục và Đào tạo"):
            agency = competent = XA
            address = ONE_STOP
        components = [
            {"name": n, "copies": c, "template": _template(store, n) if has_form else None}
            for n, c, has_form in papers
        ] + [{"name": n, "copies": c, "template": None} for n, c in spec["common"]]
        when = now - dt.timedelta(days=60 + i)
        proc = Procedure(
            title=title,
            description=f"{title} thuộc lĩnh vực {field.lower()}; cơ quan thực hiện: {agency}.",
            owner_id=owner.id if owner else None,
            created=when,
            modified=when,
            code=code,
            decision_number=DECISION,
            level=level,
            kind="TTHC được luân chuyển" if level == "cap-tinh" else "TTHC không được luân chuyển",
            field=field,
            steps=_steps(spec["steps"]),
            filing_ways=_ways(online, days, fee, code),
            dossier_components=components,
            applicants=spec["applicants"],
            implementing_agency=agency,
            competent_agency=competent,
            receiving_address=address,
            result=result,
            requirements=requirements,
            online_level=online,
            online_url=ONLINE_URL.format(code=code) if online != "khong" else "",
            validity="con-hieu-luc",
            verified_on=(now - dt.timedelta(days=30 + i % 20)).date(),
        )
        keys = list(spec["basis"]) + ["mot-cua"]
        proc.legal_basis = [
            ProcedureLegalBasis(
                position=pos,
                document_id=documents.get(LAW[key][0]),
                number=LAW[key][0],
                summary=LAW[key][1],
                issued_on=_date(LAW[key][2]),
                issuer=LAW[key][3],
            )
            for pos, key in enumerate(keys)
        ]
        tree.add_child(db, folder, proc, name=name)
        publish(db, proc, owner, when)
        count += 1
    return count
