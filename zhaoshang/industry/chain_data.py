"""The demo's chains in parts: each chain's chief (by office), its segments and nodes with their GB/T 4754-2017
divisions and product keywords (demo data: the city loads its own; ``load_chain_parts`` writes them).

Node codes are divisions (two digits) of ``IndustryCode``. Keywords are the words enterprises use for their main
products (``industry.classify`` finds nodes from them and the codes): Chinese mostly, a few English.
"""

from __future__ import annotations

from .choices import SegmentPosition

UP, MID, DOWN = SegmentPosition.UPSTREAM, SegmentPosition.MIDSTREAM, SegmentPosition.DOWNSTREAM

# chain name → (chief, chief in English, [(position, segment, segment in English, [(node, node in English,
# divisions, keywords)])])
CHAIN_PARTS = {
    "硅能源": (
        "市领导（示例）",
        "City leader (demo)",
        [
            (UP, "硅材料", "Silicon materials", [
                ("工业硅", "Industrial silicon", ["32"], "工业硅、金属硅、硅石"),
                ("多晶硅", "Polysilicon", ["39"], "多晶硅、颗粒硅、polysilicon"),
                ("硅片", "Silicon wafers", ["39"], "单晶硅片、硅棒、硅片切割、wafer"),
            ]),
            (MID, "电池与组件", "Cells and modules", [
                ("光伏电池", "Solar cells", ["38"], "光伏电池片、TOPCon电池、异质结电池、HJT"),
                ("光伏组件", "PV modules", ["38"], "光伏组件、双玻组件、光伏板"),
                ("光伏玻璃与辅材", "PV glass and materials", ["30", "29"], "光伏玻璃、光伏胶膜、EVA胶膜、光伏边框"),
            ]),
            (DOWN, "应用", "Applications", [
                ("逆变器", "Inverters", ["38"], "光伏逆变器、组串式逆变器、inverter"),
                ("光伏电站", "Solar power plants", ["44"], "光伏电站、分布式光伏、光伏发电"),
            ]),
        ],
    ),
    "新能源电池": (
        "市领导（示例）",
        "City leader (demo)",
        [
            (UP, "材料", "Materials", [
                ("正极材料", "Cathode materials", ["26", "39"], "正极材料、磷酸铁锂、三元材料、三元前驱体、cathode"),
                ("负极材料", "Anode materials", ["30", "39"], "负极材料、人造石墨、硅碳负极、anode"),
                ("电解液", "Electrolyte", ["26"], "电解液、六氟磷酸锂、锂盐、electrolyte"),
                ("隔膜", "Separators", ["29"], "锂电池隔膜、湿法隔膜、涂覆隔膜、separator"),
            ]),
            (MID, "电芯与系统", "Cells and systems", [
                ("电芯", "Battery cells", ["38"], "动力电池、锂离子电芯、方形电芯、软包电芯、li-ion"),
                ("电池管理系统", "Battery management systems", ["38", "39"], "电池管理系统、BMS、电池保护板"),
                ("储能系统", "Energy storage systems", ["38"], "储能系统、储能电站、储能变流器、储能柜"),
            ]),
            (DOWN, "应用与回收", "Applications and recycling", [
                ("回收利用", "Recycling", ["42"], "电池回收、梯次利用、废旧锂电池、黑粉再生"),
            ]),
        ],
    ),
    "新一代信息技术": (
        "市领导（示例）",
        "City leader (demo)",
        [
            (UP, "元器件", "Components", [
                ("集成电路", "Integrated circuits", ["39"], "集成电路、芯片设计、芯片封装、IC"),
                ("电子元件", "Electronic components", ["39"], "电子元件、印制电路板、PCB、电容器"),
            ]),
            (MID, "整机与模组", "Devices and modules", [
                ("显示模组", "Display modules", ["39"], "显示模组、液晶模组、LED显示屏"),
                ("通信设备", "Communication equipment", ["39"], "通信设备、光模块、5G基站、路由器"),
                ("智能终端", "Smart terminals", ["39"], "智能终端、智能手机、平板电脑、可穿戴设备"),
            ]),
            (DOWN, "软件与服务", "Software and services", [
                ("软件开发", "Software", ["65"], "软件开发、工业软件、嵌入式软件、software"),
                ("数据服务", "Data services", ["64", "65"], "大数据、云计算、数据中心、工业互联网"),
            ]),
        ],
    ),
    "智能装备": (
        "市领导（示例）",
        "City leader (demo)",
        [
            (UP, "核心部件", "Core parts", [
                ("减速器", "Reducers", ["34"], "精密减速器、谐波减速器、RV减速器"),
                ("伺服电机", "Servo motors", ["38"], "伺服电机、伺服驱动器、servo motor"),
                ("控制系统", "Controllers", ["40", "39"], "运动控制器、PLC、数控系统"),
            ]),
            (MID, "整机", "Machines", [
                ("工业机器人", "Industrial robots", ["34"], "工业机器人、协作机器人、机械臂、robot"),
                ("智能成套装备", "Automated production lines", ["35"], "自动化生产线、智能成套装备、非标自动化"),
                ("智能检测装备", "Inspection equipment", ["40"], "机器视觉、智能检测设备、在线检测"),
            ]),
            (DOWN, "集成与服务", "Integration and services", [
                ("系统集成", "System integration", ["35", "65"], "系统集成、智能工厂、数字化车间"),
            ]),
        ],
    ),
    "五金卫浴": (
        "市领导（示例）",
        "City leader (demo)",
        [
            (UP, "材料", "Materials", [
                ("铜材", "Copper", ["32"], "铜棒、铜材、黄铜"),
                ("不锈钢材", "Stainless steel", ["31", "32"], "不锈钢带、不锈钢板"),
            ]),
            (MID, "制造", "Making", [
                ("水龙头", "Faucets", ["33"], "水龙头、龙头阀芯、淋浴花洒、faucet"),
                ("卫生陶瓷", "Sanitary ceramics", ["30"], "卫生陶瓷、坐便器、洗面盆"),
                ("五金制品", "Hardware", ["33"], "五金制品、门锁、合页、拉手"),
                ("智能卫浴", "Smart bathroom", ["38", "33"], "智能马桶、智能卫浴、恒温淋浴"),
            ]),
            (DOWN, "销售与服务", "Sales and services", [
                ("整装卫浴", "Integrated bathrooms", ["50"], "整体卫浴、整装卫浴、卫浴工程"),
            ]),
        ],
    ),
    "机床装备": (
        "市领导（示例）",
        "City leader (demo)",
        [
            (UP, "功能部件", "Functional parts", [
                ("主轴", "Spindles", ["34"], "电主轴、机床主轴"),
                ("滚珠丝杠与导轨", "Ball screws and guides", ["34"], "滚珠丝杠、直线导轨"),
                ("数控系统", "CNC systems", ["40"], "机床数控系统、CNC系统"),
            ]),
            (MID, "整机", "Machines", [
                ("数控机床", "CNC machine tools", ["34"], "数控机床、加工中心、数控车床、lathe"),
                ("激光加工设备", "Laser processing", ["35"], "激光切割机、激光焊接机"),
                ("成形机床", "Forming machines", ["34"], "折弯机、冲床、压力机"),
            ]),
            (DOWN, "服务", "Services", [
                ("机床再制造", "Remanufacturing", ["43"], "机床再制造、机床维修"),
            ]),
        ],
    ),
    "智能家电": (
        "市领导（示例）",
        "City leader (demo)",
        [
            (UP, "零部件", "Parts", [
                ("压缩机与电机", "Compressors and motors", ["34", "38"], "压缩机、家电电机、无刷电机"),
                ("控制板", "Control boards", ["38", "39"], "家电控制板、智能控制器"),
            ]),
            (MID, "整机", "Appliances", [
                ("厨房电器", "Kitchen appliances", ["38"], "厨房电器、电饭煲、吸油烟机、空气炸锅"),
                ("生活电器", "Household appliances", ["38", "39"], "小家电、电风扇、吸尘器、扫地机器人"),
                ("制冷电器", "Refrigeration appliances", ["38"], "空调器、冰箱、冷柜"),
            ]),
            (DOWN, "服务", "Services", [
                ("智能家居平台", "Smart home platforms", ["65"], "智能家居、家电物联网、IoT"),
            ]),
        ],
    ),
    "食品": (
        "市领导（示例）",
        "City leader (demo)",
        [
            (UP, "原料", "Raw materials", [
                ("农产品加工", "Farm produce processing", ["13"], "大米加工、粮油、饲料原料"),
                ("食品配料", "Food ingredients", ["14"], "食品配料、甜味剂、淀粉糖、食品添加剂"),
            ]),
            (MID, "加工", "Processing", [
                ("调味品", "Condiments", ["14"], "酱油、蚝油、调味品、陈皮"),
                ("饮料", "Beverages", ["15"], "饮料、凉茶、果汁、茶饮料"),
                ("休闲食品", "Snacks", ["14"], "休闲食品、烘焙食品、糕点、饼干"),
                ("健康食品", "Health food", ["14", "27"], "保健食品、营养品、功能性食品"),
            ]),
            (DOWN, "流通", "Distribution", [
                ("冷链物流", "Cold chain", ["59"], "冷链物流、冷库仓储"),
            ]),
        ],
    ),
    "汽车零部件": (
        "市领导（示例）",
        "City leader (demo)",
        [
            (UP, "材料与毛坯", "Materials and blanks", [
                ("铸锻件", "Castings and forgings", ["33"], "汽车铸件、锻件、压铸件"),
            ]),
            (MID, "零部件", "Parts", [
                ("车身部件", "Body parts", ["36"], "车身冲压件、汽车座椅、汽车内饰"),
                ("底盘部件", "Chassis parts", ["36"], "制动系统、悬架、转向器"),
                ("汽车电子", "Automotive electronics", ["39", "36"], "汽车电子、车载显示、车载雷达"),
                ("电驱动系统", "Electric drives", ["38", "36"], "驱动电机、电控系统、电驱动总成"),
            ]),
            (DOWN, "整车与后市场", "Vehicles and aftermarket", [
                ("整车制造", "Vehicle assembly", ["36"], "整车制造、专用车、新能源汽车"),
                ("汽车后市场", "Aftermarket", ["81"], "汽车维修、汽车改装"),
            ]),
        ],
    ),
    "新材料": (
        "市领导（示例）",
        "City leader (demo)",
        [
            (UP, "基础原料", "Base materials", [
                ("化工原料", "Chemical feedstock", ["26"], "化工原料、树脂、助剂"),
            ]),
            (MID, "材料", "Materials", [
                ("高分子材料", "Polymers", ["29", "26"], "改性塑料、工程塑料、高分子材料"),
                ("金属新材料", "Advanced metals", ["32"], "铝合金型材、高性能合金、稀土材料"),
                ("先进陶瓷", "Advanced ceramics", ["30"], "先进陶瓷、特种陶瓷、氧化锆"),
                ("复合材料", "Composites", ["30", "29"], "碳纤维复合材料、玻璃纤维、composite"),
            ]),
            (DOWN, "应用", "Applications", [
                ("新型建材", "New building materials", ["30"], "新型建材、装配式构件"),
            ]),
        ],
    ),
    "生物医药与健康": (
        "市领导（示例）",
        "City leader (demo)",
        [
            (UP, "原料药", "Active ingredients", [
                ("化学原料药", "Chemical APIs", ["27"], "原料药、医药中间体、API"),
            ]),
            (MID, "药品与器械", "Medicines and devices", [
                ("化学药制剂", "Formulations", ["27"], "化学药制剂、片剂、注射剂"),
                ("中药", "Traditional Chinese medicine", ["27"], "中成药、中药饮片、新会陈皮"),
                ("生物制品", "Biologics", ["27"], "生物制品、疫苗、抗体药物"),
                ("医疗器械", "Medical devices", ["35"], "医疗器械、体外诊断、医用耗材"),
            ]),
            (DOWN, "服务", "Services", [
                ("医药流通", "Pharmaceutical distribution", ["51"], "医药批发、医药物流"),
                ("健康服务", "Health services", ["84"], "健康管理、康养服务"),
            ]),
        ],
    ),
    "安全应急": (
        "市领导（示例）",
        "City leader (demo)",
        [
            (UP, "材料与部件", "Materials and parts", [
                ("防护材料", "Protective materials", ["17", "29"], "阻燃面料、防护材料"),
                ("传感器件", "Sensors", ["39", "40"], "气体传感器、烟雾探测器、sensor"),
            ]),
            (MID, "装备", "Equipment", [
                ("个体防护装备", "Personal protective equipment", ["18", "35"], "防护服、安全帽、呼吸器"),
                ("消防装备", "Fire-fighting equipment", ["35"], "消防车、灭火器、消防水带"),
                ("应急救援装备", "Rescue equipment", ["35", "37"], "应急救援装备、救生艇、破拆工具"),
                ("监测预警设备", "Monitoring and warning", ["40"], "监测预警系统、应急通信、安全监测"),
            ]),
            (DOWN, "服务", "Services", [
                ("安全服务", "Safety services", ["74"], "安全评价、应急培训、安全咨询"),
            ]),
        ],
    ),
    "纺织服装": (
        "市领导（示例）",
        "City leader (demo)",
        [
            (UP, "纤维与面料", "Fibres and fabrics", [
                ("化学纤维", "Man-made fibres", ["28"], "化学纤维、涤纶长丝、锦纶"),
                ("纺纱织造", "Spinning and weaving", ["17"], "纺纱、织造、针织面料、牛仔布"),
                ("印染", "Dyeing and finishing", ["17"], "印染、染整"),
            ]),
            (MID, "服装", "Garments", [
                ("服装", "Garments", ["18"], "服装、牛仔服装、运动服、garment"),
                ("家纺", "Home textiles", ["17"], "家纺、床上用品、毛巾"),
            ]),
            (DOWN, "品牌与销售", "Brands and sales", [
                ("服装电商", "Apparel e-commerce", ["51", "52"], "服装电商、跨境电商"),
            ]),
        ],
    ),
    "电子信息材料": (
        "市领导（示例）",
        "City leader (demo)",
        [
            (UP, "基础材料", "Base materials", [
                ("电子化学品", "Electronic chemicals", ["26"], "电子化学品、湿电子化学品、光刻胶"),
                ("电子气体", "Electronic gases", ["26"], "电子特气、高纯气体"),
            ]),
            (MID, "材料", "Materials", [
                ("覆铜板", "Copper-clad laminates", ["39"], "覆铜板、铜箔、CCL"),
                ("磁性材料", "Magnetic materials", ["39", "32"], "磁性材料、软磁铁氧体、磁芯"),
                ("半导体材料", "Semiconductor materials", ["39"], "半导体材料、靶材、抛光液"),
            ]),
            (DOWN, "应用", "Applications", [
                ("电子封装材料", "Packaging materials", ["39", "29"], "封装材料、导热材料、电子胶粘剂"),
            ]),
        ],
    ),
    "现代轻工": (
        "市领导（示例）",
        "City leader (demo)",
        [
            (UP, "材料", "Materials", [
                ("纸浆与纸", "Pulp and paper", ["22"], "纸浆、包装纸、生活用纸"),
            ]),
            (MID, "制造", "Making", [
                ("家具", "Furniture", ["21"], "家具、办公家具、定制家居"),
                ("文体用品", "Stationery and sports goods", ["24"], "文具、体育用品、玩具"),
                ("包装印刷", "Packaging and printing", ["23", "22"], "包装印刷、纸箱、彩盒"),
                ("日用品", "Daily goods", ["26", "29"], "日化用品、塑料日用品、洗涤用品"),
            ]),
            (DOWN, "工艺与消费", "Crafts and consumers", [
                ("工艺美术品", "Arts and crafts", ["24"], "工艺美术品、葵艺、家居饰品"),
            ]),
        ],
    ),
}  # fmt: skip


def load_chain_parts(chains: dict, codes: dict) -> dict:
    """Segments and nodes of ``chains`` ({name: Chain}) from ``CHAIN_PARTS``, their chiefs set; ``codes`` is
    {division: IndustryCode}. Returns {(chain name, node name): ChainNode}."""
    from .models import ChainNode, ChainSegment

    made = {}
    for chain_name, (chief, chief_en, segments) in CHAIN_PARTS.items():
        chain = chains.get(chain_name)
        if chain is None:
            continue
        chain.chief, chain.chief_en = chief, chief_en
        chain.save(update_fields=["chief", "chief_en"])
        for segment_order, (position, name, name_en, nodes) in enumerate(segments):
            segment = ChainSegment.objects.create(
                chain=chain, position=position, name=name, name_en=name_en, sort=segment_order
            )
            for node_order, (node_name, node_en, divisions, keywords) in enumerate(nodes):
                node = ChainNode.objects.create(
                    chain=chain, segment=segment, name=node_name, name_en=node_en, keywords=keywords, sort=node_order
                )
                node.industry_codes.set([codes[d] for d in divisions if d in codes])
                made[(chain_name, node_name)] = node
    return made
