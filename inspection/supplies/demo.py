"""Demo emergency stock: two depots' winter stores and their movements around a snow event."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspection.auth.models import User
from inspection.sites.models import Site
from inspection.supplies import services
from inspection.supplies.models import SupplyItem, SupplyMovement
from inspection.supplies.schemas import MovementBody, StockBody

DEPOTS = ("乌鲁木齐养护工区", "G312线道班")
# The users who may keep the stock, the first found records it (the demo 机务员 if there is one).
KEEPERS = ("machinery1", "officer1", "manager1")

# depot, item, minimum
MINIMUMS = (
    ("乌鲁木齐养护工区", "融雪剂（工业盐）", 60),
    ("乌鲁木齐养护工区", "砂石料", 80),
    ("乌鲁木齐养护工区", "防滑链", 10),
    ("乌鲁木齐养护工区", "锥桶", 120),
    ("G312线道班", "融雪剂（工业盐）", 30),
    ("G312线道班", "砂石料", 40),
    ("G312线道班", "警示灯", 20),
)

# days before the snow (negative: after), depot, item, kind, quantity, purpose
MOVEMENTS = (
    (50, "乌鲁木齐养护工区", "融雪剂（工业盐）", "received", 120, "冬储入库"),
    (50, "乌鲁木齐养护工区", "砂石料", "received", 150, "冬储入库"),
    (50, "乌鲁木齐养护工区", "防滑链", "received", 16, "冬储入库"),
    (50, "乌鲁木齐养护工区", "锥桶", "received", 120, "冬储入库"),
    (45, "G312线道班", "融雪剂（工业盐）", "received", 40, "冬储入库"),
    (45, "G312线道班", "砂石料", "received", 60, "冬储入库"),
    (45, "G312线道班", "警示灯", "received", 24, "冬储入库"),
    (0, "乌鲁木齐养护工区", "融雪剂（工业盐）", "issued", 45.5, "{snow} G30 暴雪"),
    (0, "乌鲁木齐养护工区", "砂石料", "issued", 60, "{snow} G30 暴雪"),
    (0, "乌鲁木齐养护工区", "防滑链", "issued", 8, "{snow} G30 暴雪"),
    (0, "乌鲁木齐养护工区", "锥桶", "issued", 40, "{snow} G30 暴雪 K3506 封道"),
    (0, "G312线道班", "融雪剂（工业盐）", "issued", 22, "{snow} G312 暴雪"),
    (0, "G312线道班", "警示灯", "issued", 12, "{snow} G312 暴雪"),
    (-1, "G312线道班", "砂石料", "issued", 35, "{snow} G312 暴雪 撒布防滑"),
    (-2, "乌鲁木齐养护工区", "防滑链", "returned", 6, "{snow} G30 暴雪 收回"),
    (-2, "乌鲁木齐养护工区", "锥桶", "returned", 36, "{snow} G30 暴雪 收回"),
    (-2, "乌鲁木齐养护工区", "锥桶", "written_off", 4, "{snow} G30 暴雪 撞损"),
    (-3, "G312线道班", "警示灯", "returned", 10, "{snow} G312 暴雪 收回"),
)


def load_demo_supplies(session: Session, today: date) -> int:
    """Record the demo minimums and movements once (nothing if any movement exists).

    The snow fell ten days before `today`; afterwards the G312 depot is short of de-icing salt
    and grit, and the Urumqi depot of cones, so the board has shortfalls to show. Returns the
    number of movements recorded.
    """
    if session.scalar(select(SupplyMovement.id).limit(1)) is not None:
        return 0
    sites = {s.name: s for s in session.scalars(select(Site).where(Site.name.in_(DEPOTS)))}
    items = {i.name: i for i in session.scalars(select(SupplyItem))}
    keeper = next(
        (
            user
            for name in KEEPERS
            if (user := session.scalar(select(User).where(User.username == name))) is not None
        ),
        None,
    )
    if keeper is None or len(sites) < len(DEPOTS):
        return 0
    for depot, item, minimum in MINIMUMS:
        if item in items:
            services.set_minimum(
                session,
                StockBody(site_id=sites[depot].id, item_id=items[item].id, minimum=minimum),
                actor=keeper,
            )
    snow = today - timedelta(days=10)
    recorded = 0
    for days_before, depot, item, kind, quantity, purpose in MOVEMENTS:
        if item not in items:
            continue
        services.record_movement(
            session,
            MovementBody(
                client_uuid=uuid.uuid4(),
                site_id=sites[depot].id,
                item_id=items[item].id,
                kind=kind,
                quantity=quantity,
                on_date=snow - timedelta(days=days_before),
                purpose=purpose.format(snow=snow.isoformat()),
            ),
            actor=keeper,
            today=today,
        )
        recorded += 1
    return recorded
