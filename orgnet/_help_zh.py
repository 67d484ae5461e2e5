"""The Chinese text of every command's help and every option's help (``--help`` under zh).

:data:`COMMANDS` maps a command name (``"orgnet"`` for the group itself) to its
short help (the line in ``orgnet --help``) and its description; the
``Example: ...`` lines are not repeated here: :func:`zh_help` takes them from
the English docstring (they are commands) and writes them after "示例：".
:data:`OPTIONS` maps ``(command name, parameter name)`` to the help of that
option.  tests/orgnet/test_help_zh.py walks the click command tree and fails
when a command or an option with help has no entry here, or an entry names a
command or option that no longer exists.

Examples
--------
>>> COMMANDS["check"][0]
'对数据集运行缺口检查，列出问题和整改建议。'
>>> OPTIONS[("check", "fail_on")]
'报告了该严重程度及以上的问题时，以退出码 3 退出。'
"""

from __future__ import annotations

import inspect

__all__ = ["COMMANDS", "OPTIONS", "zh_help", "examples_of"]

#: command name -> (short help, description without the Example lines)
COMMANDS: dict[str, tuple[str, str]] = {
    "orgnet": ("查找基层医疗卫生网络中党组织覆盖的缺口。",
               "查找基层医疗卫生网络（医共体）中党组织覆盖的缺口。"),
    "validate": ("按数据格式检查数据集，逐行列出每个问题。",
                 "按数据格式检查数据集，逐行列出每个问题。\n\n"
                 "PATH 是 CSV 文件目录、.xlsx 工作簿或 .json 文件。\n"
                 "数据集有效时退出码为 0，无效时为 1（错误写到标准错误）。"),
    "template": ("生成待填报的空白工作簿：每张表一个工作表，带下拉选项和说明页。",
                 "生成待填报的空白工作簿：每张表一个工作表，带下拉选项和说明页。\n\n"
                 "每个工作表带有数据格式规定的表头（首行冻结）、每个取值列的下拉选项，"
                 "以及三行可通过校验的示例数据；“说明”工作表解释每一列。"),
    "check": ("对数据集运行缺口检查，列出问题和整改建议。",
              "对数据集运行缺口检查，列出问题和整改建议。\n\n"
              "PATH 是 CSV 文件目录、.xlsx 工作簿或 .json 文件；也可以不给 PATH 而用 "
              "--neo4j URI，在 Neo4j 中对已导入的数据集运行检查，输出与本地运行完全相同。"
              "数据集无效时退出码为 1；使用 --fail-on 且报告了该严重程度及以上的问题时为 3；"
              "其他情况为 0。"),
    "checks": ("列出全部检查项：编号、严重程度、类别、说明及依据。",
               "列出全部检查项：编号、严重程度、类别、说明及依据。"),
    "info": ("输出数据集按标签和类型的数量，以及各项覆盖率。",
             "输出数据集按标签和类型的数量，以及各项覆盖率。"),
    "map": ("绘制交互式网络图，生成一个独立的 HTML 文件。",
            "绘制交互式网络图，生成一个独立的 HTML 文件。"),
    "report": ("生成 HTML 报告：概况、覆盖率图表、问题清单和网络图。",
               "生成 HTML 报告：概况、覆盖率图表、问题清单和网络图。\n\n"
               "使用 --baseline BEFORE 时，同时列出与 BEFORE 相比的变化；联系记录跨两个及以上"
               "季度时，按季度绘制折线图；使用 --plan 时，附上整改计划及其经验证的效果。"),
    "load": ("将数据集导入 Neo4j（先校验；重复导入相同数据不会改变任何内容）。",
             "将数据集导入 Neo4j（先校验；重复导入相同数据不会改变任何内容）。"),
    "cypher": ("在 Neo4j 上执行 Cypher 查询；除非指定 --write，否则只读。",
               "在 Neo4j 上执行 Cypher 查询；除非指定 --write，否则只读。"),
    "generate": ("生成含预设缺口的县域医共体模拟网络数据。",
                 "生成含预设缺口的县域医共体模拟网络数据。\n\n"
                 "使用 --periods N 时：生成同一网络的 N 个季度快照，每个季度修复部分预设缺口，"
                 "同时出现新的缺口（可用 'orgnet compare OUT/2025-Q1 OUT/2025-Q2' 对比）。"),
    "demo": ("用内置的县域示例跑完整流程：校验、检查、报告、网络图。",
             "用内置的县域示例跑完整流程：校验、检查、报告、网络图。"),
    "metrics": ("计算各机构的网络指标（度数、介数、k 核、覆盖、转诊）。",
                "计算各机构的网络指标（度数、介数、k 核、覆盖、转诊）。\n\n"
                "PATH 是 CSV 文件目录、.xlsx 工作簿或 .json 文件。使用 --lang zh 时，"
                "CSV 的表头和取值为中文。"),
    "compare": ("对比两期数据：已整改、新增和仍存在的问题，以及指标和实体的变化。",
                "对比两期数据：已整改、新增和仍存在的问题，以及指标和实体的变化。\n\n"
                "BEFORE 和 AFTER 是任意容器格式的数据集（CSV 目录、.xlsx、.json）；也可以改用 "
                "--neo4j URI 和 --dataset BEFORE --dataset AFTER，对比已导入 Neo4j 的两个数据集。"
                "问题按检查编号和对象匹配。没有任何差异时输出“无变化”并以 0 退出；使用 "
                "--fail-on-new 且出现该严重程度及以上的新问题时以 3 退出；数据无效时以 1 退出。"
                "使用 --redact 时，两期数据都先脱敏再对比：同一党员在两期中的化名相同"
                "（化名由党员编号生成）。"),
    "trend": ("按时期列出数据集的转诊数据以及有效的联点、结对联系。",
              "按时期列出数据集的转诊数据以及有效的联点、结对联系。\n\n"
              "每一行即 'orgnet check --period P' 所看到的内容：该时期的联系记录加上未填时期的"
              "记录：上转、下转和同级转诊，单向转诊对数，转诊链断裂数，以及有效的联点和结对联系。"),
    "export": ("导出全部实体和联系及其属性，供其他网络分析工具使用。",
               "导出全部实体和联系及其属性，供其他网络分析工具使用。\n\n"
               "PATH 是 CSV 文件目录、.xlsx 工作簿或 .json 文件；也可以改用 --neo4j URI，"
               "导出已导入 Neo4j 的数据集。列表属性用 ';' 连接；服务环节导出为指向各环节节点的 "
               "PROVIDES 边。使用 --redact 时，党员节点改用化名，只保留状态、职务、所在组织和"
               "工作单位；其他文本中的党员姓名也一并替换。"),
    "whatif": ("假设网络发生变化，重新运行检查，列出新出现和消失的问题。",
               "假设网络发生变化，重新运行检查，列出新出现和消失的问题。\n\n"
               "变化按以下顺序进行：--add-link、--move、--cut、--remove。数据不会被写入"
               "（使用 --neo4j 时只读取图数据）。编号不存在或变化写法有误时，输出一行错误并以 1 退出。"),
    "resilience": ("找出一旦缺失就会引发最多问题的党员、单位和联系，并排序。",
                   "找出一旦缺失就会引发最多问题的党员、单位和联系，并排序。\n\n"
                   "对每一项列出：缺失后会出现的问题（单位孤立、一组单位失联、支部正式党员不足三人、"
                   "组织缺少书记、缺少上转或服务环节）以及失联的机构；高严重程度问题多的排在前面，"
                   "其次是失联机构多的。"),
    "plan": ("提出消除问题的整改计划（按先后顺序），并验证其效果。",
             "提出消除问题的整改计划（按先后顺序），并验证其效果。\n\n"
             "各项整改措施应用于数据副本后重新运行检查：每项措施只计入确实消除的问题，"
             "整改后的指标即修改后数据的指标（使用 --apply 时即 FIXED 的指标）。--redact 会替换"
             "输出或保存的计划中的党员姓名和编号；FIXED 本身是规划人员自己的数据，保留原样。"),
}

_LANG = "消息、表头和标签的语言（zh：中文；en：英文）。"
_REDACT = "在输出的所有位置用固定化名替换党员姓名和编号（化名由 ORGNET_REDACT_KEY 生成）。"
_NEO4J = "Neo4j 服务器，例如 bolt://localhost:7687（环境变量 NEO4J_URI）。"
_DATABASE = "Neo4j 数据库（环境变量 NEO4J_DATABASE；默认 neo4j）。"
_USERNAME = "Neo4j 用户名（环境变量 NEO4J_USERNAME；默认 neo4j）。"
_DATASET = "Neo4j 中的数据集名称（默认：唯一已导入的数据集）。"
_OUTPUT = "写入此文件，而不是标准输出。"
_ONLY = "只运行这些检查项或类别（可重复给出，或用逗号分隔）。"
_SKIP = "跳过这些检查项或类别（可重复给出，或用逗号分隔）。"
_SET = "修改阈值，例如 --set branch_max_members=40（名称和默认值见 'orgnet checks'）。"
_FORMAT = "输出格式 [默认：按 -o 的后缀，否则为 table]；xlsx 需要 -o。"

#: options that many commands share, with the same English help: the commands that have them
_SHARED = {
    "lang": (_LANG, ("validate", "check", "checks", "info", "map", "report", "load", "generate",
                     "demo", "metrics", "compare", "trend", "export", "whatif", "resilience",
                     "plan")),
    "redact": (_REDACT, ("check", "map", "report", "demo", "metrics", "compare", "export",
                         "whatif", "resilience", "plan")),
    "neo4j_uri": (_NEO4J, ("check", "map", "report", "load", "cypher", "metrics", "compare",
                           "trend", "export", "whatif", "resilience", "plan")),
    "neo4j_database": (_DATABASE, ("check", "map", "report", "load", "cypher", "metrics",
                                   "compare", "trend", "export", "whatif", "resilience",
                                   "plan")),
    "neo4j_username": (_USERNAME, ("check", "map", "report", "load", "cypher", "metrics",
                                   "compare", "trend", "export", "whatif", "resilience",
                                   "plan")),
    "neo4j_dataset": (_DATASET, ("check", "map", "report", "metrics", "trend", "export",
                                 "whatif", "resilience", "plan")),
}

#: (command, option parameter name) -> the option's help in Chinese
OPTIONS: dict[tuple[str, str], str] = {
    (command, name): text
    for name, (text, commands) in _SHARED.items() for command in commands
}
OPTIONS.update({
    ("validate", "output_format"): 'json：在标准输出写出 {"valid": ..., "problems": [...]}。',
    ("validate", "annotate"): "仅用于 .xlsx 工作簿：另存一份副本到此文件，每个有问题的单元格"
                              "标红，并以批注写明问题。",
    ("template", "output"): "要写出的 .xlsx 工作簿。",
    ("template", "lang"): "zh：中文工作表名、表头和取值；en：英文键名。",
    ("check", "fmt"): "输出格式 [默认：按 -o 的后缀，否则为 table]。xlsx 为问题台账，需要 -o。",
    ("check", "output"): _OUTPUT,
    ("check", "only"): _ONLY,
    ("check", "skip"): _SKIP,
    ("check", "min_severity"): "只报告该严重程度及以上的问题。",
    ("check", "overrides"): _SET,
    ("check", "fail_on"): "报告了该严重程度及以上的问题时，以退出码 3 退出。",
    ("check", "period"): "只看该时期的联系记录（2025、2025-Q4、2025-11 或日期；较细的时期"
                         "归入较粗的时期），以及未填时期的记录。",
    ("check", "since"): "只看自该时期起的联系记录（以及未填时期的记录）。",
    ("check", "until"): "只看截至该时期的联系记录（以及未填时期的记录）。",
    ("checks", "fmt"): "json：每个检查项一个对象。",
    ("info", "fmt"): "json：即 'orgnet check --format json' 中的 summary 对象。",
    ("map", "output"): "要写出的 HTML 文件。",
    ("map", "view"): "units：机构及其联系；party：党组织体系和覆盖情况；referral：上转和下转；"
                     "full：全部内容；united_front：党外代表人士、联谊交友和联络站；"
                     "resilience：按缺失后的影响大小显示单位。",
    ("map", "region"): "只显示该地区（及其下级地区）。",
    ("map", "community"): "只显示牵头机构为该编号的医共体。",
    ("map", "check_id"): "只显示该检查项（检查编号或类别）的问题所涉及的实体及其相邻实体。",
    ("map", "with_plan"): "按整改计划实施后的数据绘图：拟建的联系用虚线表示，每个拟建"
                          "联合党支部的单位圈为一组。",
    ("report", "output"): "要写出的 HTML 文件。",
    ("report", "with_plan"): "附上整改计划（orgnet plan，经在修改后的数据上重新运行检查验证）。",
    ("report", "baseline"): "较早一期的数据（数据集 PATH）：加入与其相比的变化，并在问题清单"
                            "和网络图上标出新增问题（★）。",
    ("load", "neo4j_dataset"): "导入后的数据集名称（默认：文件名或目录名）。",
    ("load", "replace"): "替换该名称下已导入的另一个数据集。",
    ("load", "batch_size"): "每个写事务的行数。",
    ("cypher", "query_file"): "从 .cypher 文件（UTF-8）读取查询。",
    ("cypher", "neo4j_dataset"): "传入 $dataset、$graph（其当前版本）以及查询用到的检查参数"
                                 "（阈值、取值表）。",
    ("cypher", "params"): "查询参数；VALUE 能按 JSON 解析时按 JSON 读取，否则按文本。",
    ("cypher", "fmt"): "输出格式。",
    ("cypher", "write"): "允许查询写入（默认只读）。",
    ("generate", "counties"): "县域医共体的数量 [默认：1]。",
    ("generate", "entities"): "代替 --counties：不断增加县，直到实体数达到此数。",
    ("generate", "seed"): "随机种子（种子相同，生成的文件相同）。",
    ("generate", "uncovered"): "每个县没有党组织覆盖的村卫生室数 [默认：村卫生室的 5%]。",
    ("generate", "one_way"): "每个县从未下转回来的村卫生室数 [默认：村卫生室的 10%]。",
    ("generate", "isolated"): "每个县没有任何有效联系的村卫生室数。",
    ("generate", "links_per_entity"): "每个实体的联系记录行数（转诊人次按季度或月份拆分）。",
    ("generate", "fmt"): "csv：一个目录（任意规模）；xlsx、json：单个文件，仅限小数据集。",
    ("generate", "headers"): "zh：中文表头、工作表名和取值（与规划人员的填写习惯一致）。",
    ("generate", "periods"): "生成同一网络的这么多个季度快照 OUT/2025-Q1, ...，每期都有预设的"
                             "整改和新缺口（列在 OUT/planted.json 中）。",
    ("generate", "force"): "写入非空目录（或覆盖已有文件），替换其中的数据集文件。",
    ("demo", "out"): "存放 report.html、map.html 和 findings.json 的目录。",
    ("metrics", "output"): "要写出的 CSV 文件，每个机构一行（带 BOM 的 UTF-8，可用 Excel 打开）。",
    ("metrics", "network_json"): "另将全网指标（密度、连通分量、转诊平衡……）写成 JSON；"
                                 "'-' 表示直接输出。",
    ("metrics", "exact_limit"): "机构数不超过此数时精确计算介数，超过时抽样估算。",
    ("metrics", "samples"): "估算介数时的抽样数（固定种子）。",
    ("compare", "fmt"): "输出格式 [默认：按 -o 的后缀，否则为 table]。xlsx 需要 -o。",
    ("compare", "output"): _OUTPUT,
    ("compare", "only"): "只对比这些检查项或类别（可重复给出，或用逗号分隔）。",
    ("compare", "skip"): _SKIP,
    ("compare", "min_severity"): "只对比该严重程度及以上的问题。",
    ("compare", "overrides"): _SET,
    ("compare", "fail_on_new"): "出现该严重程度及以上的新问题时，以退出码 3 退出。",
    ("compare", "neo4j_dataset"): "使用 --neo4j 时：给出两次 --dataset，先 BEFORE 后 AFTER。",
    ("trend", "by"): "每个季度、月份或年份一行。",
    ("export", "fmt"): "graphml 或 gexf（单个文件；Gephi、Cytoscape、networkx），或 csv（含 "
                       "nodes.csv 和 edges.csv 的目录）[默认：按 -o 的后缀]。",
    ("export", "output"): "要写出的文件（csv 时为目录）。",
    ("whatif", "remove"): "去掉一个实体：党员离开、机构撤销或组织撤销（可重复给出）。",
    ("whatif", "cut"): "两个实体之间的联系记录终止（不分方向；给出 TYPE 时只终止该类型）。",
    ("whatif", "add_links"): "新增一条联系记录（类型可用英文或中文，人次默认为 1）。",
    ("whatif", "move"): "党员的组织关系转到另一个党组织。",
    ("whatif", "fmt"): _FORMAT,
    ("whatif", "output"): _OUTPUT,
    ("whatif", "only"): _ONLY,
    ("whatif", "skip"): _SKIP,
    ("whatif", "overrides"): "修改阈值，例如 --set branch_max_members=40。",
    ("resilience", "top"): "只列出缺失后危害最大的 N 项。",
    ("resilience", "kinds"): "只看这些类型的候选项（可重复给出；默认全部）。",
    ("resilience", "fmt"): _FORMAT,
    ("resilience", "output"): _OUTPUT,
    ("resilience", "overrides"): "修改阈值，例如 --set branch_min_full_members=3。",
    ("plan", "apply_"): "将全部整改措施应用于数据集并写到 -o FIXED（容器格式与 PATH 相同）；"
                        "整改后的指标即对 FIXED 的检查结果。",
    ("plan", "output"): "使用 --apply 时：整改后数据集的位置（CSV 数据集为目录，否则为与输入"
                        "后缀相同的文件）。",
    ("plan", "save"): "将计划写入 FILE，而不是标准输出（格式由后缀决定）。",
    ("plan", "fmt"): "计划格式 [默认：按 --save 的后缀，否则为 table]；xlsx 为整改台账，"
                     "需要 --save。",
    ("plan", "max_liaison_units"): "每名后备联络人负责的联系单位不超过此数。",
    ("plan", "overrides"): "修改阈值，例如 --set joint_branch_max_units=4。",
})


def examples_of(help_text: str | None) -> list[str]:
    """The commands of the ``Example: ...`` lines of an English docstring, as they are."""
    return [line[len("Example:"):].strip()
            for line in inspect.cleandoc(help_text or "").splitlines()
            if line.startswith("Example:")]


def zh_help(name: str, english_help: str | None) -> tuple[str, str] | None:
    """Return (short help, full help) in Chinese of command ``name``, or None if not in the catalog.

    The full help is the catalog's description followed by the English
    docstring's example commands, each after "示例：".
    """
    entry = COMMANDS.get(name)
    if entry is None:
        return None
    short, body = entry
    lines = [body] + [f"示例：{example}" for example in examples_of(english_help)]
    return short, "\n\n".join(lines)
