def test_home_renders_for_anonymous(app):
    res = app.get("/")
    assert res.status_int == 200
    assert "Phường Thử Nghiệm" in res.text
    assert 'lang="vi"' in res.text


def test_login_page(app):
    res = app.get("/dang-nhap")
    assert "Đăng nhập" in res.text
