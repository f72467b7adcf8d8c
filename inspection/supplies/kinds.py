"""The code lists of emergency supplies: movement kinds, and the default items."""

from __future__ import annotations

from enum import StrEnum

from inspection.errors import N_


class MovementKind(StrEnum):
    received = "received"  # 入库
    issued = "issued"  # 出库（发放）
    returned = "returned"  # 归还
    written_off = "written_off"  # 报损/核销


MOVEMENT_KIND_LABELS = {
    MovementKind.received: N_("Received"),
    MovementKind.issued: N_("Issued"),
    MovementKind.returned: N_("Returned"),
    MovementKind.written_off: N_("Written off"),
}

# The sign a movement puts on the depot's stock.
MOVEMENT_SIGN = {
    MovementKind.received: 1,
    MovementKind.issued: -1,
    MovementKind.returned: 1,
    MovementKind.written_off: -1,
}

# The items a branch starts with (name, unit); the branch edits the list.
DEFAULT_ITEMS = (
    ("砂石料", "立方米"),
    ("融雪剂（工业盐）", "吨"),
    ("防滑链", "副"),
    ("沙袋", "个"),
    ("锥桶", "个"),
    ("警示灯", "个"),
    ("发电机", "台"),
    ("急救箱", "个"),
)

NAME_LENGTH = 128
UNIT_LENGTH = 16
