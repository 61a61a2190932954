"""The zip guard question imports and the verification pages share: headers judged first,
then every member unpacked in chunks, counting."""

import io
import zipfile

import pytest

from organizations import safezip
from organizations.safezip import unsafe_archive, unsafe_name


def make_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_small_sound_zip_has_no_problems():
    assert unsafe_archive(make_zip({"a.xml": b"<a/>", "b/c.txt": b"text"})) == []


def test_bytes_that_are_no_zip_are_told_apart_from_an_unsafe_zip():
    assert unsafe_archive(b"name,serial\n") is None


@pytest.mark.parametrize("name", ["../evil", "/etc/passwd", "a/../../evil", "C:/x", "a\x00b"])
def test_names_that_lead_out_of_the_folder_are_unsafe(name):
    assert unsafe_name(name)


def test_names_inside_the_folder_are_safe():
    assert not unsafe_name("xl/worksheets/sheet1.xml")


def test_a_highly_compressed_member_is_refused_as_a_zip_bomb_from_its_header():
    bomb = make_zip({"xl/sharedStrings.xml": b"\0" * (3 * 1024 * 1024)})
    assert len(bomb) < 100 * 1024
    problems = unsafe_archive(bomb, max_ratio=100)
    assert len(problems) == 1 and "zip bomb" in problems[0]
    assert unsafe_archive(bomb) == []  # the ratio is judged only when the caller asks


def test_the_caller_limits_count_members_member_size_and_total():
    data = make_zip({f"f{n}.txt": b"x" * 600 for n in range(3)})
    assert unsafe_archive(data, max_members=2) == ["the zip holds 3 files; at most 2 are accepted"]
    assert "at most 0.0 MB per file" in unsafe_archive(data, max_member=500)[0]
    assert unsafe_archive(data, max_total=1000) == ["the zip unpacks to 0.0 MB; at most 0.0 MB"]


def test_a_member_whose_header_lies_about_its_size_is_refused_while_reading():
    data = bytearray(make_zip({"a.txt": b"y" * 5000}))
    # shrink the declared size in the central directory: the headers now lie
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (100).to_bytes(4, "little")
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    infos = archive.infolist()
    assert infos[0].file_size == 100
    assert safezip.zip_problems(infos) == []
    assert safezip.stream_problems(archive, infos, max_member=10_000, max_total=10_000) == [
        # zipfile stops at the declared size, and the checksum then fails
        "'a.txt' in the zip is damaged or unreadable"
    ]
