"""How many lines a text wraps to in a column of a given width, so that a row is planned
tall enough for it (a printed row has a fixed height: too short cuts the text off, too tall
wastes paper).

Widths are Calibri's advance widths, read from Carlito 1.103 (its metric-compatible stand-in,
`fonts-crosextra-carlito`) with fontTools, in thousandths of an em, for the printable ASCII
characters " " to "~". Lines break as spreadsheet programs break them: after a space, a "/"
or a "-", or inside a word longer than the line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# fmt: off
REGULAR = (
    226, 326, 401, 498, 507, 715, 682, 221, 303, 303, 498, 498, 250, 306, 252, 386, 507, 507,
    507, 507, 507, 507, 507, 507, 507, 507, 268, 268, 498, 498, 498, 463, 894, 579, 544, 533,
    615, 488, 459, 631, 623, 252, 319, 520, 420, 855, 646, 662, 517, 673, 543, 459, 487, 642,
    567, 890, 519, 487, 468, 307, 386, 307, 498, 498, 291, 479, 525, 423, 525, 498, 305, 471,
    525, 229, 239, 455, 229, 799, 525, 527, 525, 525, 349, 391, 335, 525, 452, 715, 433, 453,
    395, 314, 460, 314, 498,
)
ITALIC = (
    226, 326, 401, 498, 507, 715, 682, 221, 303, 303, 498, 498, 250, 306, 252, 388, 507, 507,
    507, 507, 507, 507, 507, 507, 507, 507, 268, 268, 498, 498, 498, 463, 894, 579, 544, 522,
    615, 488, 459, 631, 623, 252, 319, 520, 420, 855, 645, 654, 517, 664, 543, 452, 487, 642,
    567, 890, 519, 487, 468, 307, 384, 307, 498, 498, 291, 514, 514, 416, 514, 478, 305, 514,
    514, 229, 239, 455, 229, 791, 514, 513, 514, 514, 343, 389, 335, 514, 446, 715, 433, 447,
    395, 314, 460, 314, 498,
)
BOLD = (
    226, 326, 438, 498, 507, 729, 705, 233, 312, 312, 498, 498, 258, 306, 267, 430, 507, 507,
    507, 507, 507, 507, 507, 507, 507, 507, 276, 276, 498, 498, 498, 463, 898, 606, 561, 529,
    630, 488, 459, 637, 631, 267, 331, 547, 423, 874, 659, 676, 532, 686, 563, 473, 495, 653,
    591, 906, 551, 520, 478, 325, 430, 325, 498, 498, 300, 494, 537, 418, 537, 503, 316, 474,
    537, 246, 255, 480, 246, 813, 537, 538, 537, 537, 355, 399, 347, 537, 473, 745, 459, 474,
    397, 344, 475, 344, 498,
)
# fmt: on
#: upright or italic, whichever is wider: for text whose style the caller does not pin down
EITHER = tuple(map(max, REGULAR, ITALIC))

#: a character outside printable ASCII ("€", "≤", "→"): as wide as the widest capitals
OTHER = 900
#: kept free for how each program hints and rounds glyph widths on screen and paper
SAFETY = 1.04
#: where a line may end: after spaces, a "/" or a "-" (not a minus before a digit)
_PIECES = re.compile(r"[^ /-]*(?: +|/|-(?!\d)|$)")


def line_count(text: str, points: float, size: float, widths: Sequence[int] = EITHER) -> int:
    """Lines `text` wraps to in a cell `points` wide, at `size` points (at least 1; a newline
    starts a line).

    >>> line_count("Share of the time the self-hosted replicas are up", 194, 11, ITALIC)
    2
    """
    room = points * 1000 / size / SAFETY  # in thousandths of an em
    return sum(_lines(paragraph, room, widths) for paragraph in text.split("\n"))


def _em(text: str, widths: Sequence[int]) -> int:
    return sum(widths[ord(c) - 32] if " " <= c <= "~" else OTHER for c in text)


def _lines(text: str, room: float, widths: Sequence[int]) -> int:
    lines, used = 1, 0
    for piece in (p for p in _PIECES.findall(text) if p):
        inked = _em(piece.rstrip(" "), widths)  # a space at the end of a line takes no room
        if used + inked <= room:
            used += _em(piece, widths)
            continue
        if used:
            lines, used = lines + 1, 0
        if inked <= room:
            used = _em(piece, widths)
            continue
        for char in piece:  # a word longer than the line breaks where the line is full
            width = _em(char, widths)
            if used and used + width > room:
                lines, used = lines + 1, 0
            used += width
    return lines
