"""The code lists of departments and sites (one StrEnum each, with their words)."""

from __future__ import annotations

from enum import StrEnum

from inspection.errors import N_


class DepartmentKind(StrEnum):
    maintenance_area = "maintenance_area"  # 养护工区
    toll_station = "toll_station"  # 收费站
    service_area = "service_area"  # 服务区
    machinery = "machinery"  # 机务
    logistics = "logistics"  # 后勤
    office = "office"  # 科室
    other = "other"


DEPARTMENT_KIND_LABELS = {
    DepartmentKind.maintenance_area: N_("Maintenance area"),
    DepartmentKind.toll_station: N_("Toll station"),
    DepartmentKind.service_area: N_("Service area"),
    DepartmentKind.machinery: N_("Machinery"),
    DepartmentKind.logistics: N_("Logistics"),
    DepartmentKind.office: N_("Office (department)"),
    DepartmentKind.other: N_("Other"),
}


class SiteKind(StrEnum):
    toll_station = "toll_station"  # 收费站
    service_area = "service_area"  # 服务区
    maintenance_depot = "maintenance_depot"  # 养护工区/道班
    machinery_workshop = "machinery_workshop"  # 机修车间
    office = "office"  # 办公楼/食堂/宿舍
    tunnel = "tunnel"  # 隧道
    bridge = "bridge"  # 桥梁
    other = "other"


SITE_KIND_LABELS = {
    SiteKind.toll_station: N_("Toll station"),
    SiteKind.service_area: N_("Service area"),
    SiteKind.maintenance_depot: N_("Maintenance depot"),
    SiteKind.machinery_workshop: N_("Machinery workshop"),
    SiteKind.office: N_("Office, canteen or dormitory"),
    SiteKind.tunnel: N_("Tunnel"),
    SiteKind.bridge: N_("Bridge"),
    SiteKind.other: N_("Other site"),
}

NAME_LENGTH = 128
