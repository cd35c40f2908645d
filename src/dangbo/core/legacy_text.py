"""Legacy Vietnamese text encodings: which one a file is in, and a codec for TCVN3.

Registers of the 1990s–2000s were typed in TCVN3 (the ABC fonts, .VnTime) or in Windows-1258. Python
has no TCVN3 codec; this module registers one ("tcvn3", the upper half of TCVN 5712:1993 — the
lower half is ASCII; the C0 control range, which the full VN1 table also uses for capitals, stays
control characters). Both legacy encodings decode any bytes, so choosing one needs evidence:
`guess_legacy` decodes a sample both ways and keeps the one whose words look like Vietnamese
(letters only, capitals only at the start, one tone mark per syllable).
"""

from __future__ import annotations

import codecs
import re
import unicodedata

_UPPER_HALF = (
    "\u00c0\u1ea2\u00c3\u00c1\u1ea0\u1eb6\u1eac\u00c8\u1eba\u1ebc\u00c9\u1eb8\u1ec6\u00cc\u1ec8\u0128"  # 0x80
    "\u00cd\u1eca\u00d2\u1ece\u00d5\u00d3\u1ecc\u1ed8\u1edc\u1ede\u1ee0\u1eda\u1ee2\u00d9\u1ee6\u0168"  # 0x90
    "\u00a0\u0102\u00c2\u00ca\u00d4\u01a0\u01af\u0110\u0103\u00e2\u00ea\u00f4\u01a1\u01b0\u0111\u1eb0"  # 0xA0
    "\u0300\u0309\u0303\u0301\u0323\u00e0\u1ea3\u00e3\u00e1\u1ea1\u1eb2\u1eb1\u1eb3\u1eb5\u1eaf\u1eb4"  # 0xB0
    "\u1eae\u1ea6\u1ea8\u1eaa\u1ea4\u1ec0\u1eb7\u1ea7\u1ea9\u1eab\u1ea5\u1ead\u00e8\u1ec2\u1ebb\u1ebd"  # 0xC0
    "\u00e9\u1eb9\u1ec1\u1ec3\u1ec5\u1ebf\u1ec7\u00ec\u1ec9\u1ec4\u1ebe\u1ed2\u0129\u00ed\u1ecb\u00f2"  # 0xD0
    "\u1ed4\u1ecf\u00f5\u00f3\u1ecd\u1ed3\u1ed5\u1ed7\u1ed1\u1ed9\u1edd\u1edf\u1ee1\u1edb\u1ee3\u00f9"  # 0xE0
    "\u1ed6\u1ee7\u0169\u00fa\u1ee5\u1eeb\u1eed\u1eef\u1ee9\u1ef1\u1ef3\u1ef7\u1ef9\u00fd\u1ef5\u1ed0"  # 0xF0
)
assert len(_UPPER_HALF) == 128
_DECODING = "".join(chr(i) for i in range(128)) + _UPPER_HALF
_ENCODING = codecs.charmap_build(_DECODING)


class _Codec(codecs.Codec):
    def encode(self, text: str, errors: str = "strict") -> tuple[bytes, int]:
        return codecs.charmap_encode(text, errors, _ENCODING)

    def decode(self, data: bytes, errors: str = "strict") -> tuple[str, int]:  # type: ignore[override]
        return codecs.charmap_decode(data, errors, _DECODING)  # type: ignore[arg-type]


class _IncrementalDecoder(codecs.IncrementalDecoder):
    def decode(self, data: bytes, final: bool = False) -> str:  # type: ignore[override]
        return codecs.charmap_decode(data, self.errors, _DECODING)[0]  # type: ignore[arg-type]


class _IncrementalEncoder(codecs.IncrementalEncoder):
    def encode(self, text: str, final: bool = False) -> bytes:
        return codecs.charmap_encode(text, self.errors, _ENCODING)[0]


def _search(name: str) -> codecs.CodecInfo | None:
    if name.replace("-", "").replace("_", "") not in ("tcvn3", "tcvn"):
        return None
    return codecs.CodecInfo(
        name="tcvn3",
        encode=_Codec().encode,
        decode=_Codec().decode,  # type: ignore[arg-type]
        incrementalencoder=_IncrementalEncoder,
        incrementaldecoder=_IncrementalDecoder,
    )


codecs.register(_search)

_WORD = re.compile(r"\S*[^\x00-\x7f]\S*")
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _plausible(word: str) -> bool:
    word = word.strip(".,;:()\"'-/")
    if not word:
        return True
    decomposed = unicodedata.normalize("NFD", word)
    if sum(ch in _TONES for ch in decomposed) > 1:
        return False
    if any(not (ch.isalpha() or unicodedata.category(ch) == "Mn") for ch in decomposed):
        return False
    return not any(ch.isupper() for ch in word[1:]) or word.isupper()


def guess_legacy(sample: bytes) -> str:
    """ "tcvn3" or "cp1258": the decoding under which more words with marks look Vietnamese."""
    scores = {}
    for encoding in ("cp1258", "tcvn3"):
        text = sample.decode(encoding, errors="replace")
        scores[encoding] = sum(_plausible(w) for w in _WORD.findall(text)) - text.count("\ufffd")
    return "tcvn3" if scores["tcvn3"] > scores["cp1258"] else "cp1258"
