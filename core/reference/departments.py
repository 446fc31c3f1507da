"""Reference data that ships with the platform: the district's departments."""

from core.reference.search import search_key

DEPARTMENTS = [
    ("kcj", "福田区科技创新局", "区科技创新局"),
    ("zjj", "福田区住房和建设局", "区住房和建设局"),
    ("jtj", "福田区交通运输局", "区交通运输局"),
    ("tcfw", "福田区投资推广和企业服务中心", "区投资推广和企业服务中心"),
    ("fgj", "福田区发展和改革局", "区发展和改革局"),
    ("gxj", "福田区工业和信息化局", "区工业和信息化局"),
    ("czj", "福田区财政局", "区财政局"),
    ("jrj", "福田区地方金融监督管理局", "区金融工作局"),
    ("wtlj", "福田区文化广电旅游体育局", "区文化广电旅游体育局"),
    ("gzj", "深圳市规划和自然资源局福田管理局", "规自局福田管理局"),
    ("gxb", "福田区城市更新和土地整备局", "区城市更新和土地整备局"),
    ("scjg", "深圳市市场监督管理局福田监管局", "市场监管福田局"),
]


def ensure_departments(Department) -> None:
    """Create the departments that are missing (``Department`` may be a migration's historical model)."""
    for code, name, short in DEPARTMENTS:
        Department.objects.get_or_create(
            code=code, defaults={"name": name, "short_name": short, "search_text": search_key(name, short)}
        )
