"""The columns an organiser's spreadsheet may have, recognised by their headers in
Chinese or English, and the words its cells may use."""

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from huzhu.errors import Invalid

FIELDS: dict[str, Promise] = {
    "kind": _("need or offer"),
    "title": _("title"),
    "body": _("details"),
    "category": _("category"),
    "item": _("item"),
    "quantity": _("quantity"),
    "unit": _("unit"),
    "tags": _("who it is for (tags)"),
    "lat": _("latitude"),
    "lng": _("longitude"),
    "expires_on": _("expiry date"),
    "precision_m": _("public precision in metres"),
    "name": _("name of the person posted for"),
    "consent": _("their consent: verbal or written"),
    "note": _("how to reach them"),
}

# Header spellings, compared case-folded with spaces, "_" and "-" removed.
_HEADERS: dict[str, tuple[str, ...]] = {
    "kind": ("kind", "type", "needoroffer", "类型", "种类", "需求或提供"),
    "title": ("title", "标题", "主题"),
    "body": ("body", "details", "description", "说明", "详情", "描述"),
    "category": ("category", "类别", "分类"),
    "item": ("item", "物品", "药品", "物资"),
    "quantity": ("quantity", "qty", "amount", "数量"),
    "unit": ("unit", "单位"),
    "tags": ("tags", "tag", "group", "标签", "人群"),
    "lat": ("lat", "latitude", "纬度"),
    "lng": ("lng", "lon", "long", "longitude", "经度"),
    "expires_on": ("expireson", "expires", "expiry", "expirydate", "有效期", "到期日"),
    "precision_m": ("precision", "precisionm", "精度"),
    "name": ("name", "beneficiary", "onbehalfof", "姓名", "受助人", "代为登记"),
    "consent": ("consent", "同意", "同意方式", "知情同意"),
    "note": ("note", "contact", "contactnote", "备注", "联系方式"),
}
_BY_HEADER = {alias: field for field, aliases in _HEADERS.items() for alias in aliases}

KINDS = {
    "need": "need",
    "needs": "need",
    "需要": "need",
    "需求": "need",
    "求助": "need",
    "offer": "offer",
    "give": "offer",
    "提供": "offer",
    "捐赠": "offer",
    "捐助": "offer",
}
CONSENTS = {"verbal": "verbal", "口头": "verbal", "written": "written", "书面": "written"}
TAG_WORDS = {
    "老人": "elderly",
    "老年人": "elderly",
    "孕妇": "pregnant",
    "婴儿": "infant",
    "儿童": "child",
    "慢性病": "chronic_illness",
    "残障": "disability",
    "残疾": "disability",
    "发烧": "fever_now",
}


def _key(header: str) -> str:
    return "".join(ch for ch in header.casefold() if ch not in " _-").strip()


def detect_mapping(headers: list[str]) -> dict[int, str]:
    """Column index → field, for the headers we recognise (the first column wins)."""
    mapping: dict[int, str] = {}
    for index, header in enumerate(headers):
        field = _BY_HEADER.get(_key(header))
        if field and field not in mapping.values():
            mapping[index] = field
    return mapping


def apply_overrides(
    headers: list[str], mapping: dict[int, str], overrides: dict[str, str]
) -> dict[int, str]:
    """`overrides`: header → field ("" ignores the column). Unknown names are Invalid."""
    result = dict(mapping)
    for header, field in overrides.items():
        if header not in headers:
            raise Invalid(
                gettext("There is no column %(column)s in the file.") % {"column": header},
                field="mapping",
            )
        if field and field not in FIELDS:
            raise Invalid(
                gettext("Unknown field %(field)s. Choose from: %(fields)s.")
                % {"field": field, "fields": ", ".join(FIELDS)},
                field="mapping",
            )
        index = headers.index(header)
        result = {i: f for i, f in result.items() if i != index and f != field}
        if field:
            result[index] = field
    return result


def parse_mapping_option(spec: str) -> dict[str, str]:
    """`col=field,col2=field2` (the command's --mapping) as a header → field dict."""
    overrides: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        header, sep, field = part.partition("=")
        if not sep:
            raise Invalid(
                gettext("Write each mapping as column=field, e.g. 纬度=lat."), field="mapping"
            )
        overrides[header.strip()] = field.strip()
    return overrides
