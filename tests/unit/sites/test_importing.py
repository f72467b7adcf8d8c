"""Reading a file of sites (no database): encodings, headers in two languages, per-line problems."""

import json

import pytest

from inspection.errors import ValidationError
from inspection.sites import importing
from inspection.sites.importing import LineProblems, SiteRow


def fields_of(problem: LineProblems) -> list[str]:
    return [p.field for p in problem.problems]


def test_english_headers_utf8_with_bom():
    data = (
        "\ufeffname,kind,lon,lat,road,direction,stake,department,note\n"
        "柴窝堡收费站,toll_station,,,G30,up,K3510+000,柴窝堡收费站,\n"
        "机修车间,Machinery workshop,87.62,43.94,,,,机务科,年检\n"
    ).encode()
    parsed = importing.read_upload(data, "sites.csv")
    assert parsed.problems == []
    assert parsed.rows == [
        SiteRow(
            2, "柴窝堡收费站", "toll_station", None, None, "G30", "up", "K3510+000", "柴窝堡收费站"
        ),
        SiteRow(3, "机修车间", "machinery_workshop", 87.62, 43.94, "", None, "", "机务科", "年检"),
    ]


def test_chinese_headers_gb18030_as_excel_saves_them():
    text = (
        "名称,类型,经度,纬度,路线,方向,桩号,所属部门,备注\r\n"
        "达坂城服务区,服务区,87.55,43.87,g30,上行,K3516+500,达坂城服务区,\r\n"
        "\r\n"
        "职工食堂,食堂,87.6261,43.9418,,,,后勤科,\r\n"
    )
    parsed = importing.read_upload(text.encode("gb18030"), "站点.CSV")
    assert [(r.line, r.name, r.kind, r.road, r.direction) for r in parsed.rows] == [
        (2, "达坂城服务区", "service_area", "G30", "up"),
        (4, "职工食堂", "office", "", None),
    ]
    assert parsed.blank_lines == 1


@pytest.mark.parametrize(
    ("cells", "fields"),
    [
        ({"kind": "toll_station", "lon": "87", "lat": "43"}, ["name"]),
        ({"name": "x" * 129, "kind": "toll_station", "lon": "87", "lat": "43"}, ["name"]),
        ({"name": "A", "kind": "加油站", "lon": "87", "lat": "43"}, ["kind"]),
        ({"name": "A", "kind": "bridge", "lon": "200", "lat": "43"}, ["lon"]),
        ({"name": "A", "kind": "bridge", "lon": "87", "lat": "-91"}, ["lat"]),
        ({"name": "A", "kind": "bridge", "lon": "nan", "lat": "43"}, ["lon"]),
        ({"name": "A", "kind": "bridge", "lon": "87"}, ["lat"]),
        ({"name": "A", "kind": "bridge"}, ["lon"]),
        ({"name": "A", "kind": "bridge", "road": "G30", "stake": "K12+5"}, ["stake"]),
        ({"name": "A", "kind": "bridge", "stake": "K12+500"}, ["road"]),
        (
            {"name": "A", "kind": "bridge", "road": "G30", "stake": "K1+000", "direction": "左"},
            ["direction"],
        ),
        ({"name": "A", "kind": "tunnel", "lon": "87", "lat": "43", "note": "n" * 2001}, ["note"]),
    ],
)
def test_a_bad_line_names_its_fields(cells, fields):
    result = importing.read_row(7, cells)
    assert isinstance(result, LineProblems)
    assert result.line == 7
    assert fields_of(result) == fields


def test_several_problems_of_one_line_are_all_reported():
    result = importing.read_row(3, {"name": "", "kind": "x", "lon": "181", "lat": "0"})
    assert fields_of(result) == ["name", "kind", "lon"]
    kind = result.problems[1]
    assert kind.detail == "Unknown kind of site %(kind)s." and kind.params == {"kind": "x"}


def test_missing_columns_refuse_the_file():
    with pytest.raises(ValidationError) as caught:
        importing.read_upload(b"lon,lat\n1,2\n", "a.csv")
    assert caught.value.params == {"columns": "name, kind"}


def test_limits_refuse_the_whole_file(monkeypatch):
    with pytest.raises(ValidationError, match="larger than 5 MB"):
        importing.read_upload(b"x" * (importing.MAX_BYTES + 1), "a.csv")
    monkeypatch.setattr(importing, "MAX_ROWS", 2)
    lines = "name,kind,lon,lat\n" + "".join(f"S{i},other,87,43\n" for i in range(3))
    with pytest.raises(ValidationError, match="more than 2 sites"):
        importing.read_upload(lines.encode(), "a.csv")
    with pytest.raises(ValidationError):
        importing.read_upload(b"name,kind\n", "a.xlsx")


def test_text_that_is_neither_utf8_nor_gb18030_is_refused():
    with pytest.raises(ValidationError):
        importing.read_upload(b"name,kind\n\xff\xff\xff\n", "a.csv")


def feature(properties, geometry=None):
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def test_geojson_points_numbered_by_feature():
    document = {
        "type": "FeatureCollection",
        "features": [
            feature(
                {"名称": "柴窝堡收费站", "类型": "收费站"},
                {"type": "Point", "coordinates": [87.6, 43.8]},
            ),
            feature(
                {"name": "道班", "kind": "maintenance_depot", "road": "G312", "stake": "K3608+000"}
            ),
            feature(
                {"name": "线", "kind": "other"},
                {"type": "LineString", "coordinates": [[1, 2], [3, 4]]},
            ),
            feature({"name": "远", "kind": "other"}, {"type": "Point", "coordinates": [200, 43]}),
            "not a feature",
        ],
    }
    parsed = importing.read_upload(json.dumps(document).encode(), "sites.geojson")
    assert parsed.unit == "feature"
    assert [(r.line, r.name, r.lon, r.road) for r in parsed.rows] == [
        (1, "柴窝堡收费站", 87.6, ""),
        (2, "道班", None, "G312"),
    ]
    assert [(p.line, fields_of(p)) for p in parsed.problems] == [
        (3, ["lon"]),
        (4, ["lon"]),
        (5, ["file"]),
    ]


@pytest.mark.parametrize("data", [b"{", b"[]", b'{"type": "FeatureCollection"}', b"\xff\xfe"])
def test_what_is_not_geojson_is_refused(data):
    with pytest.raises(ValidationError):
        importing.read_upload(data, "a.geojson")


def test_kind_words():
    assert importing.kind_word("收费站") == "toll_station"
    assert importing.kind_word(" Service Area ") == "service_area"
    assert importing.kind_word("machinery_workshop") == "machinery_workshop"
    assert importing.kind_word("办公楼、食堂或宿舍") == "office"
    assert importing.kind_word("加油站") is None
