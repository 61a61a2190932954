"""Certificate serials: random, Crockford base32, with a check symbol that catches typos."""

import re

import pytest

from certificates.serials import (
    ALPHABET,
    CHECK_ALPHABET,
    SERIAL_LENGTH,
    SERIAL_PATTERN,
    is_valid_serial,
    new_serial,
    normalise_serial,
)

# Crockford symbols -> Python's own base-32 digits, so the tests compute the
# check value independently of the module under test.
_TO_PYTHON_BASE32 = str.maketrans(ALPHABET, "0123456789abcdefghijklmnopqrstuv")

KNOWN_GOOD = "7K3D-9WQX-4M2P-HY"


def symbols(serial: str) -> str:
    return serial.replace("-", "")


def number(serial: str) -> int:
    return int(symbols(serial)[:-1].translate(_TO_PYTHON_BASE32), 32)


def with_symbol(serial: str, index: int, symbol: str) -> str:
    chars = list(symbols(serial))
    chars[index] = symbol
    return "".join(chars)


@pytest.fixture(scope="module")
def serials() -> list[str]:
    return [new_serial() for _ in range(2000)]


def test_a_new_serial_is_canonical_grouped_and_valid():
    serial = new_serial()
    assert len(serial) == SERIAL_LENGTH
    assert re.fullmatch(SERIAL_PATTERN, serial)
    assert re.fullmatch(r"\w{4}-\w{4}-\w{4}-\S{2}", serial)
    assert normalise_serial(serial) == serial
    assert is_valid_serial(serial)


def test_the_check_symbol_is_the_number_mod_37(serials):
    for serial in serials[:200]:
        assert symbols(serial)[-1] == CHECK_ALPHABET[number(serial) % 37]


def test_serials_carry_65_independent_random_bits(serials):
    assert len(set(serials)) == len(serials)
    numbers = [number(serial) for serial in serials]
    assert max(numbers) < 2**65
    # Each of the 65 bits is set in about half the serials (±9 standard deviations).
    for bit in range(65):
        ones = sum((n >> bit) & 1 for n in numbers)
        assert 800 < ones < 1200, f"bit {bit} is set in {ones} of 2000 serials"


def test_the_check_symbol_catches_every_single_symbol_typo(serials):
    for serial in serials[:40]:
        chars = symbols(serial)
        for index, original in enumerate(chars):
            choices = ALPHABET if index < len(chars) - 1 else CHECK_ALPHABET
            for typo in choices:
                if typo != original:
                    assert not is_valid_serial(with_symbol(serial, index, typo)), (
                        serial,
                        index,
                        typo,
                    )


def test_the_check_symbol_catches_every_swap_of_adjacent_symbols(serials):
    swaps = 0
    for serial in serials[:200]:
        chars = symbols(serial)
        for index in range(len(chars) - 1):
            if chars[index] == chars[index + 1]:
                continue
            swapped = chars[:index] + chars[index + 1] + chars[index] + chars[index + 2 :]
            assert not is_valid_serial(swapped), (serial, index)
            swaps += 1
    assert swaps > 2000


def test_normalising_accepts_lowercase_spaces_and_misplaced_hyphens():
    assert normalise_serial("7k3d9wqx4m2phy") == KNOWN_GOOD
    assert normalise_serial("  7k3d 9wqx 4m2p hy ") == KNOWN_GOOD
    assert normalise_serial("7K-3D9W--QX4M2-PHY") == KNOWN_GOOD
    assert normalise_serial("7K3D\t9WQX\n4M2P-HY") == KNOWN_GOOD


def test_normalising_reads_i_and_l_as_one_and_o_as_zero():
    serial = next(s for s in (new_serial() for _ in range(10_000)) if "1" in s and "0" in s)
    misread = symbols(serial).replace("1", "i", 1).replace("1", "L").replace("0", "o")
    assert misread != symbols(serial)
    assert normalise_serial(misread) == serial


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "hello",
        "7K3D-9WQX-4M2P-H",  # one symbol short
        "7K3D-9WQX-4M2P-HYY",  # one symbol too many
        "7K3D-9WQX-4M2P-HU",  # valid check alphabet, wrong check value
        "UK3D-9WQX-4M2P-HY",  # U is only a check symbol
        "*K3D-9WQX-4M2P-HY",  # so is *
        "7K3D_9WQX_4M2P_HY",  # underscores are not separators
        "７K3D-9WQX-4M2P-HY",  # a full-width digit
        "7K3D-9WQX-4M2P-HY" * 200,
        "https://academy.example/verify/7K3D-9WQX-4M2P-HY/",
    ],
)
def test_malformed_or_mistyped_text_is_rejected(text):
    assert normalise_serial(text) is None
    assert not is_valid_serial(text)


def test_a_non_string_is_rejected():
    assert normalise_serial(None) is None  # type: ignore[arg-type]
    assert not is_valid_serial(12345)  # type: ignore[arg-type]
