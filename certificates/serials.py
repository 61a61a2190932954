"""Certificate serial numbers: random, Crockford base32, with a mod-37 check symbol.

A serial is read aloud over the phone and typed from paper, so it uses
Crockford's alphabet (no I, L, O, U among the data symbols) and ends with
Crockford's check symbol. The check value is the serial's number mod 37; 37 is
prime and larger than 32, so it catches every single-symbol typo and every
swap of two adjacent symbols.

Canonical form: 13 data symbols (65 random bits) and 1 check symbol, in groups
of four: ``XXXX-XXXX-XXXX-XC`` (17 characters). The check symbol may be one of
``* ~ $ = U`` as well as a digit or letter; all five are legal in a URL path.
"""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECK_ALPHABET = ALPHABET + "*~$=U"
DATA_LENGTH = 13
RANDOM_BITS = DATA_LENGTH * 5
GROUP_SIZE = 4
SERIAL_LENGTH = 17  # 14 symbols and 3 hyphens
# Matches the canonical form only; views should call normalise_serial() on user input.
_DATA_CLASS = "[0-9A-HJKMNP-TV-Z]"
_CHECK_CLASS = "[0-9A-HJKMNP-TV-Z*~$=U]"
SERIAL_PATTERN = (
    rf"{_DATA_CLASS}{{4}}-{_DATA_CLASS}{{4}}-{_DATA_CLASS}{{4}}-{_DATA_CLASS}{_CHECK_CLASS}"
)

_DATA_VALUES = {symbol: value for value, symbol in enumerate(ALPHABET)}
_CHECK_VALUES = {symbol: value for value, symbol in enumerate(CHECK_ALPHABET)}
# Crockford: decoders read I and L as 1, O as 0. Separators carry no meaning.
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})
_SEPARATORS = re.compile(r"[\s\-]+")
# Longer input is rejected before any work is done on it.
_MAX_INPUT_LENGTH = 64


def new_serial() -> str:
    """Return a fresh random serial in canonical grouped form."""
    return serial_of(secrets.randbits(RANDOM_BITS))


def serial_of(number: int) -> str:
    """Return the serial (with its check symbol) that stands for a number below 2**65."""
    return _format(_encode(number) + CHECK_ALPHABET[number % 37])


def normalise_serial(text: str) -> str | None:
    """Return the canonical form of a typed serial, or None if it is malformed."""
    if not isinstance(text, str) or len(text) > _MAX_INPUT_LENGTH:
        return None
    symbols = _SEPARATORS.sub("", text).upper().translate(_READ_AS)
    if len(symbols) != DATA_LENGTH + 1:
        return None
    data, check = symbols[:-1], symbols[-1]
    if any(symbol not in _DATA_VALUES for symbol in data) or check not in _CHECK_VALUES:
        return None
    if _decode(data) % 37 != _CHECK_VALUES[check]:
        return None
    return _format(symbols)


def is_valid_serial(text: str) -> bool:
    """Tell whether text is a serial with a correct check symbol."""
    return normalise_serial(text) is not None


def _encode(number: int) -> str:
    """Return number as DATA_LENGTH base32 symbols, most significant first."""
    symbols = []
    for _ in range(DATA_LENGTH):
        number, value = divmod(number, 32)
        symbols.append(ALPHABET[value])
    return "".join(reversed(symbols))


def _decode(data: str) -> int:
    """Return the number that base32 data symbols stand for."""
    number = 0
    for symbol in data:
        number = number * 32 + _DATA_VALUES[symbol]
    return number


def _format(symbols: str) -> str:
    """Split symbols into hyphen-separated groups of GROUP_SIZE."""
    return "-".join(symbols[i : i + GROUP_SIZE] for i in range(0, len(symbols), GROUP_SIZE))
