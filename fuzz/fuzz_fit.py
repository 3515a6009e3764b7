"""atheris harness over the FIT entry point (ingest.decode.fit.decode_fit, then summarize).

Half the inputs are "resealed" first (the header's data size and the file CRC recomputed), so the
mutations get past the CRC check and exercise the record decoders, not only the refusals.
Usage: see fuzz/README.md.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["ingest"]):
    from ingest.decode.fit import decode_fit
    from ingest.decode.fit_crc import crc16

from _harness import run_one, seeded_argv


def reseal(data: bytes) -> bytes:
    """The same bytes with a header that declares them all and a correct file CRC."""
    if len(data) < 16 or data[0] not in (12, 14):
        return data
    head = bytearray(data[: data[0]])
    body = data[data[0] : -2]
    head[4:8] = len(body).to_bytes(4, "little")
    if len(head) == 14:
        head[12:14] = b"\0\0"  # 0: header CRC not computed, allowed by the protocol
    sealed = bytes(head) + body
    return sealed + crc16(sealed).to_bytes(2, "little")


def test_one_input(data: bytes) -> None:
    if data and data[-1] & 1:
        data = reseal(data)
    run_one(data, decode_fit)


def main() -> None:
    atheris.Setup(seeded_argv(sys.argv, ("fit", "broken"), ".fit"), test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
