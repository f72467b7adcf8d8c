"""The checklists a branch starts with (the branch edits them afterwards; the migration seeds them).

Each item: (section, name as the branch writes it, hazard category an unmet item raises).
"""

from __future__ import annotations

from inspection.inspections.kinds import ChecklistSection as S
from inspection.inspections.kinds import InspectionKind as K

ITEMS: dict[S, tuple[tuple[str, str], ...]] = {
    S.fire_safety: (
        ("灭火器配置齐全、压力正常、在检验有效期内", "fire_safety"),
        ("消防通道、安全出口畅通，应急照明和疏散指示完好", "fire_safety"),
        ("消火栓、喷淋、火灾报警等消防设施完好可用", "fire_safety"),
        ("易燃易爆物品按规定分类存放，有专人管理", "hazardous_materials"),
    ),
    S.electricity: (
        ("配电箱（柜）上锁、标识清楚，无裸露带电部位", "electrical"),
        ("无私拉乱接电线，无超负荷用电", "electrical"),
        ("漏电保护装置试验动作可靠", "electrical"),
    ),
    S.special_equipment: (
        ("锅炉、压力容器、起重机械按期检验合格并在有效期内", "special_equipment"),
        ("特种设备作业人员持证上岗", "special_equipment"),
    ),
    S.vehicles_machinery: (
        ("车辆机械按期维修保养、年检合格", "vehicle_machinery"),
        ("机械安全防护装置齐全有效", "vehicle_machinery"),
        ("驾驶员、操作手证件有效，无疲劳驾驶", "vehicle_machinery"),
    ),
    S.work_zone: (
        ("施工作业区按规范摆放锥桶、标志，设置声光报警和防闯入设备", "work_zone"),
        ("作业人员穿戴反光背心和安全帽", "work_zone"),
    ),
    S.office_living: (
        ("食堂燃气管道、阀门无泄漏，燃气报警器有效", "office_living"),
        ("宿舍无违规电器，无私拉电线", "office_living"),
        ("房屋建筑无开裂、渗漏、坠落物等隐患", "building_structure"),
    ),
    S.road_facilities: (
        ("护栏、标志、标线完好", "guardrail_damage"),
        ("边坡无落石、坍塌迹象", "rockfall_slope"),
        ("桥涵、排水设施畅通完好", "drainage"),
    ),
}

# (name, kind, sections) — a kind's default template; None means any kind may use it.
TEMPLATES: tuple[tuple[str, K | None, tuple[S, ...]], ...] = (
    ("综合安全检查表", None, tuple(ITEMS)),
    (
        "季节性安全检查表（冬春季）",
        K.seasonal,
        (S.fire_safety, S.electricity, S.vehicles_machinery, S.office_living, S.road_facilities),
    ),
    ("消防与用电专项检查表", K.special, (S.fire_safety, S.electricity, S.special_equipment)),
    (
        "节假日及恶劣天气特殊时段检查表",
        K.special_period,
        (S.fire_safety, S.vehicles_machinery, S.work_zone, S.road_facilities),
    ),
    ("日常安全检查表", K.routine, (S.fire_safety, S.electricity, S.office_living)),
)


def template_rows():
    """Yield (name, kind, [(position, section, item name, hazard category)]) for every template."""
    for name, kind, sections in TEMPLATES:
        items = []
        for section in sections:
            for item_name, category in ITEMS[section]:
                items.append((len(items) + 1, str(section), item_name, category))
        yield name, None if kind is None else str(kind), items
