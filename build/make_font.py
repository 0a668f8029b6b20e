"""Regenerate resources/fonts/ARPLUMingCN.ttf from Debian's fonts-arphic-uming.

    apt-get install fonts-arphic-uming && pip install fonttools && python build/make_font.py
"""

from pathlib import Path

from fontTools.ttLib import TTCollection

SRC = Path("/usr/share/fonts/truetype/arphic/uming.ttc")
OUT = Path(__file__).resolve().parents[1] / "resources" / "fonts" / "ARPLUMingCN.ttf"


def main() -> None:
    font = TTCollection(str(SRC)).fonts[0]  # AR PL UMing CN
    for table in ("EBDT", "EBLC", "BDF ", "FFTM"):
        if table in font:
            del font[table]
    font["post"].formatType = 3.0
    font.save(str(OUT))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
