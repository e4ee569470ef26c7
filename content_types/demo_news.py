"""Demo news: a reform (CCHC) section with dated, illustrated articles, and news in
the other sections. Written for this project; the pictures are drawn here with
Pillow, so the demo needs no file from outside. Idempotent like portal.demo."""

from __future__ import annotations

import datetime as dt
import io
import random

from PIL import Image, ImageDraw
from sqlalchemy import func, select

from portal import demo, tree
from portal.blobs import store_for
from portal.models import Node, ViewCount, utcnow
from portal.models.terms import CATEGORY, TAG
from portal.terms import set_terms

PLACES = [
    "phường Tân Định", "xã Phước An", "phường Bình Minh", "xã Tân Hòa", "phường Long Hưng",
    "xã Đông Sơn", "phường Hòa Phú", "xã Hiệp Thạnh", "phường Trung Dũng", "xã Vĩnh Tân",
]  # fmt: skip

# (title, lead, paragraphs, tags). "{place}" is filled in per article.
CCHC = [
    (
        "Trung tâm Phục vụ hành chính công {place} tiếp nhận hơn 1.200 hồ sơ trong tháng",
        "Tỷ lệ hồ sơ giải quyết đúng hạn đạt trên 98%, phần lớn được tiếp nhận qua mạng.",
        [
            "Trong tháng, Trung tâm Phục vụ hành chính công {place} đã tiếp nhận hơn 1.200 hồ sơ "
            "của người dân và doanh nghiệp, tăng gần 15% so với tháng trước.",
            "Các lĩnh vực có nhiều hồ sơ nhất là hộ tịch, chứng thực và đất đai. Cán bộ tại quầy "
            "hướng dẫn người dân tự nộp hồ sơ trên Cổng Dịch vụ công ngay tại khu vực chờ.",
            "Lãnh đạo địa phương yêu cầu tiếp tục rút ngắn thời gian chờ, công khai tiến độ giải "
            "quyết và xin lỗi người dân khi hồ sơ bị trễ hạn.",
        ],
        ["một cửa", "dịch vụ công trực tuyến"],
    ),
    (
        "{place} đẩy mạnh số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
        "Mỗi hồ sơ sau khi số hóa được dùng lại cho các lần giao dịch sau, "
        "người dân không phải nộp lại giấy tờ.",
        [
            "Thực hiện kế hoạch chuyển đổi số, {place} đã số hóa toàn bộ sổ hộ tịch lưu trữ và "
            "các kết quả giải quyết thủ tục hành chính còn hiệu lực.",
            "Người dân khi làm thủ tục lần sau chỉ cần cung cấp mã hồ sơ hoặc số định danh cá "
            "nhân; cán bộ tra cứu lại bản điện tử đã được ký số.",
            "Đến nay, tỷ lệ hồ sơ được số hóa khi tiếp nhận đạt 100%, tỷ lệ kết quả được trả "
            "bản điện tử đạt trên 90%.",
        ],
        ["số hóa", "chuyển đổi số"],
    ),
    (
        "Hướng dẫn người cao tuổi {place} nộp hồ sơ trực tuyến",
        "Đoàn viên thanh niên hỗ trợ tận nơi, từ cài đặt ứng dụng định danh đến thanh toán lệ phí.",
        [
            "Tổ công nghệ số cộng đồng {place} tổ chức các buổi hướng dẫn người cao tuổi sử dụng "
            "điện thoại thông minh để nộp hồ sơ trực tuyến.",
            "Nội dung tập trung vào kích hoạt tài khoản định danh điện tử mức 2, tra cứu tình "
            "trạng hồ sơ và thanh toán lệ phí không dùng tiền mặt.",
            "Sau mỗi buổi, người tham dự được phát tờ hướng dẫn in chữ lớn có mã QR dẫn đến trang "
            "tra cứu hồ sơ.",
        ],
        ["người cao tuổi", "dịch vụ công trực tuyến"],
    ),
    (
        "Công bố chỉ số hài lòng của người dân năm nay tại {place}",
        "Chỉ số hài lòng chung đạt 96,4%, tăng 2,1 điểm phần trăm so với năm trước.",
        [
            "Kết quả khảo sát trên 800 phiếu cho thấy người dân đánh giá cao thái độ phục vụ và "
            "việc công khai thủ tục hành chính tại {place}.",
            "Tiêu chí còn thấp là thời gian chờ vào giờ cao điểm buổi sáng. Địa phương bố trí "
            "thêm một quầy tiếp nhận lưu động vào sáng thứ Hai và thứ Sáu.",
        ],
        ["khảo sát", "hài lòng"],
    ),
    (
        "{place} rà soát, đơn giản hóa 12 thủ tục hành chính nội bộ",
        "Thời gian xử lý bình quân giảm 30%, nhiều bước trình ký giấy được thay bằng ký số.",
        [
            "Qua rà soát, {place} đề xuất bãi bỏ 3 thủ tục không còn phù hợp, sửa đổi 9 thủ tục "
            "để giảm thành phần hồ sơ và thời gian giải quyết.",
            "Các phòng chuyên môn được yêu cầu không yêu cầu người dân nộp lại giấy tờ đã có "
            "trong cơ sở dữ liệu quốc gia về dân cư.",
        ],
        ["rà soát", "đơn giản hóa"],
    ),
    (
        "Thí điểm trả kết quả hộ tịch qua dịch vụ bưu chính công ích tại {place}",
        "Người dân đăng ký nhận kết quả tại nhà, phí chuyển phát được hỗ trợ trong năm đầu.",
        [
            "Từ đầu quý, {place} thí điểm trả kết quả giải quyết thủ tục hộ tịch qua bưu điện "
            "cho người dân có nhu cầu.",
            "Sau ba tháng, hơn 400 kết quả đã được chuyển phát, không có trường hợp thất lạc. "
            "Địa phương sẽ mở rộng sang lĩnh vực chứng thực.",
        ],
        ["bưu chính công ích", "hộ tịch"],
    ),
    (
        "Hội nghị đối thoại với doanh nghiệp về thủ tục đất đai tại {place}",
        "Doanh nghiệp nêu 17 kiến nghị, phần lớn về thời gian cấp giấy chứng nhận.",
        [
            "Tại hội nghị, đại diện các doanh nghiệp trên địa bàn {place} phản ánh thời gian "
            "thẩm định hồ sơ đất đai còn kéo dài.",
            "Lãnh đạo địa phương trả lời trực tiếp 12 kiến nghị, các nội dung còn lại được giao "
            "cơ quan chuyên môn trả lời bằng văn bản trong 15 ngày.",
        ],
        ["đối thoại", "đất đai", "doanh nghiệp"],
    ),
    (
        "{place} triển khai thanh toán lệ phí không dùng tiền mặt",
        "Người dân quét mã QR tại quầy hoặc thanh toán ngay khi nộp hồ sơ trực tuyến.",
        [
            "Toàn bộ quầy tiếp nhận tại {place} đã niêm yết mã QR thanh toán phí, lệ phí thủ tục hành chính.",
            "Biên lai điện tử được gửi qua tin nhắn và thư điện tử; người dân không phải chờ "
            "xuất biên lai giấy như trước.",
        ],
        ["thanh toán trực tuyến"],
    ),
    (
        "Kiểm tra công tác cải cách hành chính năm nay tại {place}",
        "Đoàn kiểm tra ghi nhận nhiều cách làm mới, đề nghị khắc phục tình trạng hồ sơ trễ hạn.",
        [
            "Đoàn kiểm tra đã làm việc tại Bộ phận Một cửa {place}, kiểm tra ngẫu nhiên 50 hồ sơ "
            "đã giải quyết.",
            "Đoàn đề nghị cập nhật kịp thời thủ tục mới công bố lên bảng niêm yết và Cổng thông "
            "tin điện tử, đồng thời xin lỗi bằng văn bản với các hồ sơ trễ hạn.",
        ],
        ["kiểm tra", "cải cách hành chính"],
    ),
    (
        "Ra mắt mô hình \u201cCà phê cải cách hành chính\u201d tại {place}",
        "Mỗi tháng một buổi gặp gỡ để người dân góp ý trực tiếp với cán bộ một cửa.",
        [
            "Mô hình do Đoàn Thanh niên {place} phối hợp tổ chức, thu hút đông đảo người dân và "
            "hộ kinh doanh tham gia buổi đầu tiên.",
            "Các ý kiến tập trung vào việc đặt lịch hẹn trước qua điện thoại và kéo dài giờ làm "
            "việc vào buổi trưa.",
        ],
        ["góp ý", "một cửa"],
    ),
]

OTHER = {
    "tin-hoat-dong": [
        ("Ra quân làm sạch kênh rạch trước mùa mưa", "Hơn 500 người dân và đoàn viên tham gia."),
        ("Trao 120 suất học bổng cho học sinh vượt khó", "Mỗi suất trị giá 2 triệu đồng."),
        ("Khánh thành nhà văn hóa khu phố 4", "Công trình do Nhà nước và nhân dân cùng làm."),
    ],
    "chi-dao-dieu-hanh": [
        ("Chủ động ứng phó triều cường cuối năm", "Các đơn vị trực 24/24 giờ tại điểm xung yếu."),
        ("Tăng cường kiểm tra an toàn thực phẩm dịp Tết", "Tập trung vào chợ và bếp ăn tập thể."),
    ],
    "thong-tin-tuyen-truyen": [
        ("Tuyên truyền về định danh điện tử mức 2", "Người dân được hướng dẫn tại nhà văn hóa khu phố."),
        ("Phổ biến quy định mới về cư trú", "Không còn sử dụng sổ hộ khẩu giấy."),
    ],
}

# One caption per CCHC story above, in the same order; "{place}" is filled in.
CAPTIONS = [
    "Người dân chờ làm thủ tục tại khu vực tiếp nhận của {place}.",
    "Cán bộ {place} số hóa hồ sơ ngay tại quầy tiếp nhận.",
    "Đoàn viên hướng dẫn người cao tuổi cài đặt ứng dụng định danh điện tử.",
    "Phiếu khảo sát được phát cho người dân sau khi nhận kết quả.",
    "Cuộc họp rà soát thủ tục hành chính nội bộ của {place}.",
    "Nhân viên bưu điện nhận kết quả hộ tịch để chuyển đến nhà người dân.",
    "Đại diện doanh nghiệp phát biểu tại hội nghị đối thoại.",
    "Người dân quét mã QR để nộp lệ phí tại quầy.",
    "Đoàn kiểm tra làm việc tại Bộ phận Một cửa {place}.",
    "Người dân trao đổi với cán bộ một cửa tại buổi gặp gỡ.",
]
BYLINES = ["Minh Anh", "Thanh Hà", "Quốc Bảo", "Ngọc Lan", "Văn Tùng", "Ban Biên tập"]

PALETTES = [
    ((26, 82, 118), (244, 208, 63)), ((165, 14, 34), (255, 213, 74)), ((20, 110, 80), (230, 240, 220)),
    ((90, 60, 140), (250, 220, 180)), ((0, 96, 160), (190, 230, 250)), ((140, 70, 20), (250, 230, 190)),
]  # fmt: skip


def draw_picture(seed: int, width: int = 1280, height: int = 720) -> bytes:
    """A landscape of buildings under a sky: different for each seed, never empty."""
    rnd = random.Random(seed)
    top, bottom = PALETTES[seed % len(PALETTES)]
    im = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(im)
    for y in range(height):
        t = y / height
        colour = tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    x = 0
    while x < width:
        w = rnd.randint(60, 160)
        h = rnd.randint(height // 5, int(height * 0.65))
        shade = rnd.randint(40, 90)
        draw.rectangle([x, height - h, x + w, height], fill=(shade, shade, shade + 10))
        for wy in range(height - h + 15, height - 20, 28):
            for wx in range(x + 10, x + w - 14, 22):
                if rnd.random() < 0.6:
                    draw.rectangle([wx, wy, wx + 10, wy + 14], fill=(250, 230, 150))
        x += w + rnd.randint(4, 20)
    draw.ellipse([width - 220, 60, width - 120, 160], fill=(255, 240, 200))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def _article(
    db, types, parent, name, title, lead, body, tags, when, owner, store, seed, *, featured=False,
    caption="Quang cảnh tại nơi diễn ra sự kiện.", byline="Ban Biên tập", inline=None,
):  # fmt: skip
    node = types["news"].model(
        title=title,
        lead=lead,
        description=lead,
        body=body,
        byline=byline,
        featured=featured,
        owner_id=owner.id if owner else None,
        created=when,
        modified=when,
    )
    if store is not None:
        data = draw_picture(seed)
        node.image_sha256, node.image_size = store.put(io.BytesIO(data))
        node.image_mime_type, node.image_filename = "image/jpeg", f"{name}.jpg"
        node.image_width, node.image_height = 1280, 720
        node.image_alt = f"Ảnh minh họa: {title}"
        node.image_caption = caption
        node.image_credit = byline
    set_terms(node, CATEGORY, [parent.title])
    set_terms(node, TAG, tags)
    tree.add_child(db, parent, node, name=name)
    if inline is not None:
        # A second picture inside the text, captioned, as editors place them: an
        # Image item from the media folder, shown through its rendition.
        node.body += (
            f'<figure><img src="{inline.path}@@rendition/640" alt="{inline.alt}" width="640" height="360">'
            f"<figcaption>{inline.caption}</figcaption></figure>"
        )
    demo.publish(db, node, owner, when)
    return node


def _media_image(db, types, root, owner, store, i, place):
    """A published Image in the (hidden) media folder, for an article's inline figure."""
    if store is None:
        return None
    folder, _created = demo.ensure_folder(
        db, types, root, "thu-vien-anh", "Thư viện ảnh", "Ảnh dùng trong các bài viết.", owner
    )
    folder.exclude_from_nav = True
    name = f"anh-{i + 1:02d}"
    image = demo.find(db, folder, name)
    if image is not None:
        return image
    data = draw_picture(500 + i)
    when = utcnow() - dt.timedelta(days=2 * i + 1)
    image = types["image"].model(
        title=f"Bộ phận Một cửa {place}",
        alt=f"Quầy tiếp nhận hồ sơ của {place}",
        caption=f"Quầy tiếp nhận hồ sơ của {place} trong giờ làm việc.",
        credit="Ban Biên tập",
        owner_id=owner.id if owner else None,
        created=when,
        modified=when,
    )
    image.sha256, image.size = store.put(io.BytesIO(data))
    image.mime_type, image.filename = "image/jpeg", f"{name}.jpg"
    image.width, image.height = 1280, 720
    tree.add_child(db, folder, image, name=name)
    demo.publish(db, image, owner, when)
    return image


def load(db, types, root: Node, owner) -> int:
    news_folder = demo.find(db, root, "tin-tuc")
    if news_folder is None:
        return 0
    # Articles, media folder and images alike: what this loader added to the tree.
    before = db.scalar(select(func.count()).select_from(Node))
    store = store_for(types.settings) if types.settings.get("portal.data_dir") else None
    now = utcnow()

    # Blocks the home page shows: the reform section's news and the website links.
    cchc = demo.find(db, news_folder, "cai-cach-hanh-chinh")
    links = demo.find(db, root, "lien-ket")
    if cchc is not None and cchc.home_block != "news":
        cchc.home_block = "news"
    if links is not None and links.home_block != "links":
        links.home_block = "links"

    if cchc is not None:
        for i in range(32):
            k = i % len(CCHC)
            title_t, lead, paragraphs, tags = CCHC[k]
            place = PLACES[(i * 3 + i // len(CCHC)) % len(PLACES)]
            lead = f"Tại {place}, {lead[0].lower()}{lead[1:]}"
            caption = CAPTIONS[k].format(place=place)
            title = title_t.format(place=place)
            title = title[0].upper() + title[1:]
            name = f"cchc-{i + 1:02d}"
            if demo.find(db, cchc, name) is not None:
                continue
            body = "".join(f"<p>{p.format(place=place)}</p>" for p in paragraphs)
            when = now - dt.timedelta(days=2 * i + 1, hours=i % 7)
            node = _article(
                db, types, cchc, name, title, lead, body, tags + ["cải cách hành chính"], when, owner,
                store, i, featured=i < 3, caption=caption, byline=BYLINES[i % len(BYLINES)],
                inline=_media_image(db, types, root, owner, store, i, place) if i % 4 == 0 else None,
            )  # fmt: skip
            db.flush()
            db.add(ViewCount(node_id=node.id, count=(i * 37) % 500 + 10))

    # The core demo's own articles get a picture too (once: only where none is set).
    if store is not None:
        model = types["news"].model
        bare = db.scalars(
            select(model).where(
                model.site_id == root.site_id, model.image_sha256 == "", model.path.like("/tin-tuc/%")
            )
        ).all()
        for k, node in enumerate(bare):
            data = draw_picture(200 + k)
            node.image_sha256, node.image_size = store.put(io.BytesIO(data))
            node.image_mime_type, node.image_filename = "image/jpeg", f"{node.name}.jpg"
            node.image_width, node.image_height = 1280, 720
            node.image_alt = f"Ảnh minh họa: {node.title}"

    for section, items in OTHER.items():
        folder = demo.find(db, news_folder, section)
        if folder is None:
            continue
        for j, (title, lead) in enumerate(items):
            name = f"tin-{j + 1:02d}"
            if demo.find(db, folder, name) is not None:
                continue
            when = now - dt.timedelta(days=3 * j + 2)
            body = f"<p>{lead}</p><p>Đề nghị các cơ quan, đơn vị và người dân phối hợp thực hiện.</p>"
            _article(db, types, folder, name, title, lead, body, [], when, owner, store, 100 + j)
    db.flush()
    return db.scalar(select(func.count()).select_from(Node)) - before
