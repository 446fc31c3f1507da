"""The demo district's fixed facts: zones, operators, parks and the enterprises the letter names.

Everything here is plain data. Places and organisations named in the letter of 2021年6月21日
(reply to JY 20210042) appear by name; the rest is plausible but invented. Coordinates are
WGS-84 and approximate. The apps' parts of the demo data (``<app>/demo.py``, ``demo.parts``) fill in
buildings, units, tenants and leases around these facts.
"""

# Zones -------------------------------------------------------------------------------------------
# (code, name, kind, parent code, sort order, centre (lon, lat) or None, radius in degrees)
# 河套's centre is moved from the river (114.070, 22.515 lies just outside the district boundary)
# onto the 福田保税区 side, where the Shenzhen park of the Hetao zone actually is.
ZONES = [
    ("engines", "三大新引擎", "engine", None, 10, None, None),
    ("hetao", "河套深港科技创新合作区深圳园区", "area", "engines", 11, (114.052, 22.514), 0.012),
    ("xiangmihu", "香蜜湖新金融中心", "area", "engines", 12, (114.030, 22.550), 0.008),
    ("central-park", "环中心公园活力圈", "area", "engines", 13, (114.075, 22.550), 0.007),
    ("axis-wings", "一轴两翼", "axis", None, 20, None, None),
    ("central-axis", "中轴（河套—福田中心区—梅林）", "axis", "axis-wings", 21, None, None),
    ("futian-cbd", "福田中心区", "area", "central-axis", 22, (114.058, 22.540), 0.010),
    ("meilin", "梅林片区", "area", "central-axis", 23, (114.055, 22.570), 0.011),
    ("west-wing", "西翼", "axis", "axis-wings", 30, None, None),
    ("chegongmiao", "车公庙", "area", "west-wing", 31, (114.025, 22.538), 0.008),
    ("jinsha", "金沙", "area", "west-wing", 32, (114.000, 22.530), 0.009),
    ("antuoshan", "安托山", "area", "west-wing", 33, (114.010, 22.550), 0.007),
    ("east-wing", "东翼", "axis", "axis-wings", 40, None, None),
    ("huaqiang-shangbu", "华强上步", "area", "east-wing", 41, (114.085, 22.545), 0.007),
    ("bagualing", "八卦岭", "area", "east-wing", 42, (114.090, 22.560), 0.007),
    ("caitian-north", "彩田北", "area", "east-wing", 43, (114.068, 22.565), 0.007),
]

ZONE_DESCRIPTIONS = {
    "engines": "福田区“三大新引擎”：河套深港科技创新合作区深圳园区、香蜜湖新金融中心、环中心公园活力圈。",
    "axis-wings": "“一轴两翼”总体空间格局：以河套—福田中心区—梅林片区为中轴，香蜜湖联动车公庙、金沙、安托山为西翼，"
    "环中心公园活力圈联动华强上步、八卦岭、彩田北为东翼。",
    "hetao": "科研空间批量供给，37万平方米优质科研空间投入使用。",
}

# Street and roads used for addresses, by zone.
ADDRESSES = {
    "hetao": ("福保街道", ["桂花路", "市花路", "红柳道", "槟榔道", "黄槐道", "绒花路", "紫荆道"]),
    "xiangmihu": ("香蜜湖街道", ["红荔西路", "香蜜湖路", "农园路", "侨香路", "深南大道"]),
    "central-park": ("华富街道", ["红荔路", "华富路", "笋岗西路", "红岭中路", "园岭东路"]),
    "futian-cbd": ("福田街道", ["益田路", "金田路", "福华一路", "福华三路", "民田路", "福中三路", "深南大道"]),
    "meilin": ("梅林街道", ["梅华路", "中康路", "梅林路", "凯丰路", "北环大道"]),
    "chegongmiao": ("沙头街道", ["泰然九路", "泰然四路", "泰然八路", "深南大道", "车公庙路"]),
    "jinsha": ("沙头街道", ["金地一路", "沙嘴路", "福强路", "滨河大道"]),
    "antuoshan": ("香蜜湖街道", ["安托山六路", "侨香路", "农林路", "安托山九路"]),
    "huaqiang-shangbu": ("华强北街道", ["华强北路", "振兴路", "燕南路", "上步中路", "振华路", "中航路"]),
    "bagualing": ("园岭街道", ["八卦一路", "八卦二路", "八卦三路", "八卦四路", "上步北路"]),
    "caitian-north": ("莲花街道", ["彩田路", "莲花路", "景田北路", "商报路"]),
}

# Asking rent (元/m²/月) by zone: low and high end.
RENT_RANGES = {
    "hetao": (60, 120),
    "xiangmihu": (150, 240),
    "central-park": (100, 170),
    "futian-cbd": (130, 220),
    "meilin": (70, 130),
    "chegongmiao": (130, 220),
    "jinsha": (80, 140),
    "antuoshan": (85, 145),
    "huaqiang-shangbu": (90, 160),
    "bagualing": (70, 130),
    "caitian-north": (70, 130),
}

# Operators -----------------------------------------------------------------------------------------
# (key, name, phone). ``futian-holdings`` is the demo ``operator`` user's; ``shenye`` is ``operator2``'s.
OPERATORS = [
    ("futian-holdings", "深圳市福田区投资控股有限公司", "0755-82918000"),
    ("hetao-dev", "深圳市深港科技创新合作区发展有限公司", "0755-83266000"),
    ("fintech-assoc", "深圳市金融科技协会", "0755-88303100"),
    ("shenye", "深业集团有限公司", "0755-82866288"),
    ("tianan", "天安数码城（集团）有限公司", "0755-83477888"),
    ("seg", "深圳市赛格集团有限公司", "0755-83747373"),
    ("huaqiang", "深圳华强集团有限公司", "0755-83030000"),
    ("sznews", "深圳报业集团", "0755-83518000"),
    ("cultural-dev", "深圳市福田区文化产业发展有限公司", "0755-82978600"),
    ("sihc", "深圳市投资控股有限公司", "0755-82927000"),
    ("gemdale", "金地（集团）股份有限公司", "0755-82039509"),
    ("fashion-ops", "深圳湾区时尚产业运营管理有限公司", "0755-86967300"),
]
OPERATOR_USER_OPERATOR = "futian-holdings"
OPERATOR2_USER_OPERATOR = "shenye"

# Building profiles: floors above ground, floor plate (m²), units per floor, year completed, basements,
# and how buildings are labelled (A座, 1栋, 1号楼).
PROFILES = {
    "tower": {
        "floors": (24, 42),
        "plate": (1500, 2300),
        "units": (2, 4),
        "years": (2004, 2021),
        "below": (2, 4),
        "label": "座",
    },
    "research": {
        "floors": (8, 20),
        "plate": (1000, 1600),
        "units": (2, 4),
        "years": (2016, 2023),
        "below": (1, 2),
        "label": "栋",
    },
    "midrise": {
        "floors": (6, 18),
        "plate": (1000, 1700),
        "units": (2, 5),
        "years": (1996, 2018),
        "below": (1, 2),
        "label": "栋",
    },
    "lowrise": {
        "floors": (5, 9),
        "plate": (900, 1600),
        "units": (3, 6),
        "years": (1985, 2006),
        "below": (0, 1),
        "label": "号楼",
    },
}


def _weights(text: str) -> list[tuple[str, int]]:
    return [(code, int(weight)) for code, weight in (item.split(":") for item in text.split())]


# Sectors: the industry mix of a park's tenants, as GB/T 4754 class:weight.
SECTORS = {
    "hetao": _weights(
        "6513:14 6511:4 6520:8 6531:4 6450:3 7320:8 7310:4 7340:8 2761:5 2720:4 3973:3 3976:4 "
        "3921:4 3581:4 3964:3 7540:2"
    ),
    "fintech": _weights("6940:14 6513:12 6930:4 6531:6 6739:6 7212:5 6760:3 6631:3 6639:3 6450:4 7295:3 6720:2"),
    "fund": _weights("6731:6 6739:8 6720:2 7212:5 6760:3"),
    "headquarters": _weights("7211:10 6513:8 6940:5 7243:6 3922:3 6432:4 7212:5 5179:3 7249:3"),
    "fashion": _weights("1811:5 1819:6 1830:4 5132:6 5232:5 7492:8 7259:4 7211:4 5245:3 6432:2"),
    "cultural": _weights("8730:8 7492:10 7259:7 6572:6 8626:3 6579:4 7284:3 8810:2 7251:4 7491:4"),
    "science": _weights("6513:12 6520:5 3979:3 3961:3 3964:3 7320:4 7340:3 6432:4 7540:2 6531:4 7519:2"),
    "general": _weights("6513:8 6531:5 7243:5 7249:3 5179:4 5176:3 7030:3 3982:2 4028:2 7221:2 7294:1 6432:3 7320:3"),
    "electronics": _weights("5179:8 5176:5 5177:4 3979:4 3982:4 6520:4 3976:2 5274:3 6513:4"),
}
# Divisions whose firms are often national high-tech enterprises.
TECH_SECTOR_CLASSES = {"65", "39", "27", "73", "35", "40", "64", "38"}

# Parks ---------------------------------------------------------------------------------------------
# code | name | kind | zone | operator | buildings (full scale) | profile | sector | share of floors
# government-owned
_PARKS = """
hetao-01 | 河套深港科技创新合作区深圳园区 科研空间一期 | science | hetao | hetao-dev | 8 | research | hetao | 0.15
hetao-02 | 河套深港科技创新合作区深圳园区 科研空间二期 | science | hetao | hetao-dev | 8 | research | hetao | 0.15
hetao-03 | 香港青年创新创业社区 | science | hetao | hetao-dev | 3 | research | hetao | 1.0
hetao-04 | 河套生物医药创新基地 | science | hetao | hetao-dev | 4 | research | hetao | 0.2
hetao-05 | 深港国际科技园 | science | hetao | sihc | 4 | research | hetao | 0.0
xiangmihu-01 | 湾区国际金融科技城 | fintech | xiangmihu | fintech-assoc | 6 | tower | fintech | 0.05
xiangmihu-02 | 深业中城总部基地 | headquarters | xiangmihu | shenye | 4 | tower | headquarters | 0.0
futian-cbd-01 | 国际金融科技生态园 | fintech | futian-cbd | fintech-assoc | 5 | tower | fintech | 0.1
futian-cbd-02 | 福田区投资基金产业园 | fund | futian-cbd | futian-holdings | 1 | midrise | fund | 1.0
futian-cbd-03 | 深圳报业集团创意创作园 | cultural | futian-cbd | sznews | 3 | lowrise | cultural | 0.0
futian-cbd-04 | 田面设计之都创意产业园 | cultural | futian-cbd | cultural-dev | 4 | lowrise | cultural | 0.0
futian-cbd-05 | 福田金融科技加速器 | fintech | futian-cbd | fintech-assoc | 1 | midrise | fintech | 1.0
central-park-01 | 深圳天使荟（福田） | science | central-park | futian-holdings | 2 | midrise | science | 1.0
central-park-02 | 中心公园文创街区 | cultural | central-park | cultural-dev | 4 | lowrise | cultural | 0.0
meilin-01 | 新一代产业园 | general | meilin | futian-holdings | 4 | midrise | general | 0.3
meilin-02 | 梅林文化创意园 | cultural | meilin | cultural-dev | 4 | lowrise | cultural | 0.0
meilin-03 | 梅林智谷科技园 | science | meilin | sihc | 3 | midrise | science | 0.0
chegongmiao-01 | 车公庙湾区时尚总部中心 | headquarters | chegongmiao | fashion-ops | 4 | tower | fashion | 0.0
chegongmiao-02 | 天安数码城 | general | chegongmiao | tianan | 8 | midrise | general | 0.0
chegongmiao-03 | 深业泰然科技园 | science | chegongmiao | shenye | 6 | midrise | science | 0.0
chegongmiao-04 | 泰然设计创意园 | cultural | chegongmiao | shenye | 4 | lowrise | cultural | 0.0
jinsha-01 | 金地科创园 | general | jinsha | gemdale | 3 | midrise | general | 0.0
jinsha-02 | 沙嘴文化创意园 | cultural | jinsha | cultural-dev | 4 | lowrise | cultural | 0.0
antuoshan-01 | 安托山科技园 | science | antuoshan | futian-holdings | 3 | midrise | science | 0.1
huaqiang-shangbu-01 | 赛格创业汇 | science | huaqiang-shangbu | seg | 2 | midrise | electronics | 0.0
huaqiang-shangbu-02 | 华强科技产业园 | general | huaqiang-shangbu | huaqiang | 5 | midrise | electronics | 0.0
huaqiang-shangbu-03 | 深圳文化创意园 | cultural | huaqiang-shangbu | huaqiang | 5 | lowrise | cultural | 0.0
huaqiang-shangbu-04 | 上步创意产业园 | cultural | huaqiang-shangbu | cultural-dev | 4 | lowrise | cultural | 0.0
bagualing-01 | 八卦岭设计之都创意产业园 | cultural | bagualing | cultural-dev | 5 | lowrise | cultural | 0.0
bagualing-02 | 八卦岭产业园 | general | bagualing | sihc | 6 | midrise | general | 0.05
caitian-north-01 | 彩田文化创意园 | cultural | caitian-north | cultural-dev | 4 | lowrise | cultural | 0.0
caitian-north-02 | 深业上城科创中心 | headquarters | caitian-north | shenye | 3 | tower | headquarters | 0.0
"""

PARK_DESCRIPTIONS = {
    "hetao-01": "河套深港科技创新合作区深圳园区政府主导供给的首批科研空间。",
    "hetao-02": "科研空间二期，面向香港高校优势学科实验室与国际一流研发中心。",
    "hetao-03": "服务香港青年来深创新创业的孵化社区，配套“e站通”综合服务中心。",
    "hetao-04": "生物医药研发与中试空间（基地二期规划建设中）。",
    "xiangmihu-01": "福田区金融科技“双园联动”之一，由深圳市金融科技协会专业团队承担运营服务。",
    "futian-cbd-01": "福田区金融科技“双园联动”之一。",
    "futian-cbd-02": "“监管+服务”创新举措，已入驻51家各类基金公司、资产管理公司与基金，实际办公5家，虚拟入驻46家。",
    "futian-cbd-03": "深圳市文化产业园区（市级）。与深圳报业集团合作建设的创意创作文化产业园区。",
    "futian-cbd-04": "广东省文化产业示范园区（省级）。",
    "futian-cbd-05": "精准扶持和培育细分行业成长性强的潜力金融科技企业。",
    "central-park-01": "引入国内外优秀初创科技企业的重要载体，提供融资、技术、培训、空间等要素。",
    "chegongmiao-01": "新增优质时尚产业空间13万平方米，引入时尚总部企业、时尚媒体与设计师品牌。",
    "chegongmiao-04": "深圳市文化产业园区（市级）。",
    "huaqiang-shangbu-03": "广东省文化产业示范园区（省级）。",
    "huaqiang-shangbu-04": "深圳市文化产业园区（市级）。",
    "bagualing-01": "深圳市文化产业园区（市级）。",
    "caitian-north-01": "深圳市文化产业园区（市级）。",
}


def _parks(table: str) -> list[tuple]:
    """(code, name, kind, zone, operator, buildings, profile, sector, government share, description)"""
    rows = []
    for line in table.strip().splitlines():
        code, name, kind, zone, operator, buildings, profile, sector, gov = (c.strip() for c in line.split("|"))
        rows.append(
            (
                code,
                name,
                kind,
                zone,
                operator,
                int(buildings),
                profile,
                sector,
                float(gov),
                PARK_DESCRIPTIONS.get(code, ""),
            )
        )
    return rows


PARKS = _parks(_PARKS)

# Per-park changes to the building profile (the fund park is one small building).
PARK_OVERRIDES = {
    "futian-cbd-02": {"floors": (5, 6), "units": (2, 3)},
}

# Figures the letter reports, reproduced at full scale (× scale at smaller ones).
HETAO_RESEARCH_AREA = 370_000  # m² of research space in the Hetao Shenzhen park
CULTURAL_GFA = 450_000  # m² gross floor area of the 10 certified cultural-creative parks
FASHION_CENTRE_PARK = "chegongmiao-01"
FASHION_CENTRE_AREA = 130_000  # m² of new fashion-industry space at Chegongmiao
FUND_PARK = "futian-cbd-02"
FUNDS_TOTAL = 51
FUNDS_PRESENT = 5

# Named enterprises -------------------------------------------------------------------------------
# name, industry class, year established, registered capital (万元), park, leases (whole-floor groups),
# high-tech?, specialised level or "".
NAMED_ENTERPRISES = [
    ("荣耀终端有限公司", "3922", 2020, 356_000, "xiangmihu-02", 6, True, ""),
    ("物美科技集团有限公司", "5212", 2015, 100_000, "xiangmihu-02", 3, False, ""),
    ("多点（深圳）数字科技有限公司", "6432", 2015, 20_000, "xiangmihu-02", 3, True, ""),
    ("深圳转转科技有限公司", "6432", 2017, 10_000, "chegongmiao-03", 2, True, ""),
    ("深圳晶泰科技有限公司", "7340", 2014, 15_000, "hetao-01", 4, True, "little_giant"),
    ("深圳市商汤科技有限公司", "6513", 2014, 50_000, "hetao-02", 3, True, ""),
    ("招银云创信息技术有限公司", "6531", 2016, 30_000, "xiangmihu-01", 3, True, ""),
    ("深圳市财富趋势科技股份有限公司", "6513", 1995, 9_700, "futian-cbd-01", 2, True, "provincial"),
    ("山证科技（深圳）有限公司", "6940", 2020, 10_000, "futian-cbd-01", 2, True, ""),
    ("深圳华锐金融技术股份有限公司", "6513", 2010, 8_000, "xiangmihu-01", 2, True, "provincial"),
    ("深圳国家金融科技测评中心有限公司", "7452", 2019, 5_000, "futian-cbd-01", 1, False, ""),
]
NAMED_DESCRIPTION = "《关于提升产业园区建设及运营环境的建议》答复函（2021年6月21日）提及的企业（机构）。"
HONOR = "荣耀终端有限公司"

# Names ---------------------------------------------------------------------------------------------
# Characters for trade names (字号); two are drawn per name.
TRADE_NAME_CHARS = (
    "华盛鑫创新联达信腾宏泰安康瑞博嘉德恒通智云海天明金源丰卓越融汇众凯航伟锐星辰光微易优睿思远弘启"
    "蓝洋禾晟昊旭峰鹏粤合利和顺昌祥聚元亿佳美雅尚艺格维捷迅领拓展诚立凌晨曦澜沐朗致臻翼骏铭锦熙"
)

# Industry words in names, by GB/T 4754 class.
_INDUSTRY_WORDS = """
6513 软件 信息技术 网络科技 数字科技 智能科技
6511 软件技术 系统软件
6520 微电子 芯片科技 半导体 集成电路设计
6531 信息系统 信息技术 数据科技
6450 数据科技 大数据 云计算
6432 网络科技 电子商务 互联网科技
7320 新材料科技 智能装备 技术研究
7310 量子科技 科学仪器 先进技术研究
7340 生物科技 医学科技 医疗科技
2761 生物制药 生物医药
2720 医药 药业
3973 集成电路 半导体
3976 光电科技 光电子
3921 通信技术 通讯设备
3922 通信终端 智能终端
3581 医疗器械 医疗设备
3964 机器人 智能机器人
3961 智能穿戴 可穿戴科技
3979 电子 电子科技
3982 电路科技 电子
7540 创业服务 孵化器管理
7519 技术服务 科技服务
6940 金融信息服务 金融科技 金融服务
6930 支付科技 支付服务
6739 私募股权投资基金管理 股权投资基金管理 私募证券投资基金管理
6731 创业投资 创新投资
6720 基金销售 公募基金服务
7212 资产管理 投资管理
6760 资本 资本管理
6631 融资租赁
6639 商业保理
7295 征信服务 信用管理
7211 企业管理 控股 品牌管理
7243 管理咨询 企业咨询
7249 咨询 调查咨询
5179 电子 电子科技 智能设备
5176 电脑科技 计算机
5177 通讯 通信器材
5274 通讯设备 数码
1811 服饰 运动服饰
1819 时装 服装
1830 服饰 配饰
5132 服装贸易 服饰贸易
5232 时尚服饰 服装
7492 设计 创意设计 时尚设计
7491 工业设计 产品设计
7259 广告 文化传播
7251 网络广告 数字营销
5245 珠宝 珠宝首饰
8730 影视文化 文化传媒 影视传媒
6572 动漫 游戏科技
8626 数字出版 数字文化
6579 数字内容 数字文化
7284 文化会展 会展服务
8810 文化艺术 艺术发展
7030 置业 房地产经纪
7221 园区管理 产业运营
7294 翻译服务 语言服务
4028 仪器 测量技术
5212 商业连锁 零售
7452 检测技术 测评技术
"""
INDUSTRY_WORDS = {line.split()[0]: line.split()[1:] for line in _INDUSTRY_WORDS.strip().splitlines()}

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华飞鑫波斌宇浩凯健俊帆帅旭"
    "宁琳晨辰欣怡佳雪梦婷颖子涵睿博文轩一诺思远晓东海峰嘉"
)
CONTACT_TITLES = ["总经理", "董事长", "行政经理", "财务总监", "办公室主任", "人事经理", "副总经理", "政府事务经理"]
# Mobile prefixes (13x, 15x, 18x); eight random digits follow.
MOBILE_PREFIXES = (
    "130 131 132 133 135 136 137 138 139 150 151 152 153 155 156 157 158 159 180 181 182 183 185 186 187 188 189"
).split()

# Demo users: username, role, display name, department code, superuser?
USERS = [
    ("admin", "bureau_admin", "陈管理员", "kcj", True),
    ("officer", "bureau_officer", "王科员", "kcj", False),
    ("leader", "leader", "赵局长", "kcj", False),
    ("operator", "park_operator", "刘经理", None, False),
    ("operator2", "park_operator", "周经理", None, False),
    ("enterprise", "enterprise", "孙专员", None, False),
    ("expert", "expert", "李专家", None, False),
]
DEMO_USERNAMES = [u[0] for u in USERS]
DEMO_PASSWORD = "yuanqu-demo"
