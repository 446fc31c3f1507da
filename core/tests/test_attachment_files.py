"""What a document's file is, by its content; how large it may be, known before it is read; and the upload
handler that drops a file at its limit while it arrives."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, MemoryFileUploadHandler
from django.test import RequestFactory
from django.urls import ResolverMatch

from core.access.uploads import FORM_ALLOWANCE, LimitedUploadHandler, limit_uploads, refused_uploads
from core.attachments import files
from core.tests import attachment_files as samples


def refusal(content, name="合同.pdf"):
    with pytest.raises(ValidationError) as caught:
        files.check(samples.upload(name, content))
    return caught.value.message_dict["file"][0]


@pytest.mark.parametrize("content, expected", [
    (samples.PDF, files.PDF), (samples.JPEG, files.JPEG), (samples.PNG, files.PNG), (samples.OFD, files.OFD),
    (samples.DOCX, files.DOCX), (samples.XLSX, files.XLSX),
])
def test_each_allowed_type_is_known_by_its_content_whatever_its_name(content, expected):
    assert files.check(samples.upload("scan.bin", content)) == expected


def test_a_pdf_named_file_holding_a_png_image_is_a_png():
    found = files.check(samples.upload("租赁合同.pdf", samples.PNG, content_type="application/pdf"))
    assert found == files.PNG
    assert files.download_name("租赁合同.pdf", found.content_type) == "租赁合同.png"
    assert files.download_name("营业执照.JPEG", files.JPEG.content_type) == "营业执照.JPEG"


def test_a_program_renamed_pdf_is_refused_in_chinese():
    message = refusal(samples.EXE, "合同扫描件.pdf")
    assert message.startswith("这个文件是程序，不是文档")
    assert "PDF、JPEG、PNG、OFD" in message


def test_macros_old_office_formats_plain_zips_and_unknown_bytes_are_refused():
    assert "宏" in refusal(samples.DOCM, "合同.docx")
    assert "旧版" in refusal(samples.OLE, "合同.doc")
    assert "压缩包" in refusal(samples.ZIP, "合同.docx")
    assert "损坏" in refusal(b"PK\x03\x04" + bytes(100), "合同.docx")
    assert "不是允许的类型" in refusal(b"<html><script>alert(1)</script>", "合同.pdf")
    assert refusal(b"", "空.pdf") == "文件是空的。"


class Unreadable:
    """An upload that may not be read: the size alone must refuse it."""

    name = "大合同.pdf"
    size = 30 * 1024 * 1024

    def read(self, *args):
        raise AssertionError("read before its size was checked")

    seek = chunks = read


def test_a_file_over_the_limit_is_refused_by_its_size_before_a_byte_is_read(settings):
    settings.YUANQU_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
    with pytest.raises(ValidationError) as caught:
        files.check(Unreadable())
    assert caught.value.message_dict["file"] == ["文件大小为 30 MB，超过了文档的上限 20 MB，没有保存。请降低扫描分辨率或分成几个文件。"]


def test_a_file_at_the_limit_passes(settings):
    settings.YUANQU_ATTACHMENT_MAX_BYTES = 5000
    assert files.check(samples.upload("a.pdf", samples.pdf_of(5000))) == files.PDF
    with pytest.raises(ValidationError):
        files.check(samples.upload("a.pdf", samples.pdf_of(5001)))


def test_names_are_kept_as_data_without_directories_or_control_characters():
    assert files.clean_name("C:\\Users\\张三\\合同\x00.pdf") == "合同.pdf"
    assert files.clean_name("../../etc/passwd") == "passwd"
    assert files.clean_name("") == "文档"
    long = files.clean_name("长" * 300 + ".pdf")
    assert len(long) == 200 and long.endswith(".pdf")


# ----- the upload handler --------------------------------------------------------------------------------------

class Counting(FileUploadHandler):
    """Stands after the limiting handler: counts what reaches the handlers that keep files."""

    received = 0

    def receive_data_chunk(self, raw_data, start):
        Counting.received += len(raw_data)
        return raw_data

    def file_complete(self, file_size):
        return None


def posted(url_name, content, *, declared=None):
    request = RequestFactory().post("/upload/", {"title": "合同", "file": samples.upload("合同.pdf", content)})
    if declared is not None:
        request.META["CONTENT_LENGTH"] = str(declared)
    request.resolver_match = ResolverMatch(lambda r: None, (), {}, url_name=url_name)
    request.upload_handlers = [LimitedUploadHandler(request), Counting(request), MemoryFileUploadHandler(request)]
    Counting.received = 0
    return request


def test_a_file_is_dropped_at_the_limit_while_it_arrives_and_the_other_fields_stay():
    limit_uploads("test_limited_upload", lambda: 100_000)
    request = posted("test_limited_upload", samples.pdf_of(1_000_000))
    assert "file" not in request.FILES
    assert request.POST["title"] == "合同"
    assert refused_uploads(request) == {"file": 100_000}
    assert Counting.received <= 100_000  # nothing past the limit reached memory or a temporary file


def test_a_request_declaring_more_than_the_limit_keeps_nothing_of_its_file():
    limit_uploads("test_limited_upload", lambda: 100_000)
    request = posted("test_limited_upload", samples.pdf_of(200_000))
    assert request.META["CONTENT_LENGTH"] and int(request.META["CONTENT_LENGTH"]) > 100_000 + FORM_ALLOWANCE
    assert "file" not in request.FILES and refused_uploads(request) == {"file": 100_000}
    assert Counting.received == 0


def test_a_file_within_the_limit_and_a_url_without_one_pass_whole():
    limit_uploads("test_limited_upload", lambda: 100_000)
    request = posted("test_limited_upload", samples.pdf_of(90_000))
    assert request.FILES["file"].size == 90_000 and refused_uploads(request) == {}
    request = posted("some_other_page", samples.pdf_of(1_000_000))
    assert request.FILES["file"].size == 1_000_000 and refused_uploads(request) == {}
