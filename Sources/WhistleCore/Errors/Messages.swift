import Foundation

/// Localized texts for every error code. A code missing here falls back to the code itself,
/// and a test checks that every code the Core throws has both languages.
enum Messages {
    static let table: [String: (zh: String, en: String)] = [
        "input.missing": ("缺少必填字段 {field}", "Required field {field} is missing"),
        "input.invalid": ("字段 {field} 无效：{reason}", "Field {field} is invalid: {reason}"),
        "input.wrong_type": ("字段 {field} 应为{expectedZh}", "Field {field} should be {expectedEn}"),
        "input.invalid_choice": ("字段 {field} 的值“{value}”无效，可选值：{choices}", "Field {field}: '{value}' is not one of {choices}"),
        "input.unreadable": ("字段 {field} 的格式无法识别", "Field {field} could not be read"),
        "input.unknown_field": ("不认识的字段 {field}：请删除它或检查拼写", "Unknown field {field}: remove it or check its spelling"),
        "input.duplicate_field": ("字段 {field} 出现了不止一次：每个字段只能写一次", "Field {field} appears more than once: send each field once"),
        "input.malformed": ("请求体无法解析：{reason}", "The request body could not be parsed: {reason}"),
        "import.invalid": ("导入失败：第 {line} 行字段 {field}：{reason}；未导入任何数据", "Import failed at line {line}, field {field}: {reason}; nothing was imported"),
        "auth.unauthenticated": ("请先登录", "Please sign in"),
        "auth.bad_credentials": ("用户名或密码错误", "Wrong username or password"),
        "auth.forbidden": ("无权执行此操作：{action}", "You may not do this: {action}"),
        "auth.not_member": ("您不属于单位 {unit}", "You do not act for unit {unit}"),
        "unit.not_found": ("单位 {id} 不存在", "Unit {id} does not exist"),
        "person.not_found": ("人员 {id} 不存在", "Person {id} does not exist"),
        "item.not_found": ("清单事项 {id} 不存在", "Catalogue item {id} does not exist"),
        "grid.not_yours": ("所选网格不是您所属的网格", "The grid chosen is not one of your grids"),
        "appeal.not_found": ("诉求 {id} 不存在", "Appeal {id} does not exist"),
        "whistle.not_found": ("吹哨 {id} 不存在", "Whistle {id} does not exist"),
        "task.not_found": ("报到任务 {id} 不存在", "Responder task {id} does not exist"),
        "photo.not_found": ("照片 {id} 不存在", "Photo {id} does not exist"),
        "hotline.order_invalid": ("工单 {order} 的字段 {field} 有误：{reason}", "Order {order}, field {field}: {reason}"),
        "hotline.order_unknown": ("未接收过工单 {order}", "Order {order} has not been received"),
        "hotline.batch_size": ("每次推送 1 至 1000 张工单", "Push between 1 and 1,000 orders at a time"),
        "hotline.order_changed": ("工单 {order} 已接收，内容与此前不同，未重复创建；如需更正请走变更流程", "Order {order} was already received with different content; nothing was created again"),
        "calendar.not_found": ("日历订阅地址无效或已停用", "No such calendar feed, or it was ended"),
        "extension.not_found": ("延期申请 {id} 不存在", "Extension request {id} does not exist"),
        "rating.not_found": ("评价 {id} 不存在", "Rating {id} does not exist"),
        "route.not_found": ("地址不存在", "No such address"),
        "appeal.illegal_transition": ("诉求当前状态为 {state}，不能执行 {action}", "The appeal is {state}; {action} is not allowed"),
        "whistle.illegal_transition": ("吹哨当前状态为 {state}，不能执行 {action}", "The whistle is {state}; {action} is not allowed"),
        "task.illegal_transition": ("报到任务当前状态为 {state}，不能执行 {action}", "The task is {state}; {action} is not allowed"),
        "extension.illegal_transition": ("延期申请当前状态为 {state}，不能执行 {action}", "The extension request is {state}; {action} is not allowed"),
        "extension.already_pending": ("已有待审批的延期申请", "An extension request is already pending"),
        "extension.already_decided": ("该延期申请已被他人审批", "Someone else has already decided this extension request"),
        "rating.already_rated": ("该单位在本次吹哨中已被评价", "This responder has already been rated for this whistle"),
        "rating.whistle_not_closed": ("吹哨结案后才能评价", "A whistle can be rated only after it is closed"),
        "whistle.level_mismatch": ("{unit} 不能发起 {level}", "{unit} cannot blow a {level} whistle"),
        "whistle.responder_kind": ("{unit} 不能作为 {level} 的报到单位", "{unit} cannot report to a {level} whistle"),
        "whistle.responder_out_of_reach": ("{blower} 不能召集 {unit}（{level}：只能召集本区职能部门、派驻本街道的机构，或本街道、本社区的下属单位；跨范围召集须由区里设置例外）",
                                           "{blower} cannot summon {unit} ({level}: only the district's departments, agencies stationed in this street, or this street's or community's own units; anything else needs an exception set by the district)"),
        "settings.exception_other_district": ("例外只能设在本区的单位之间", "An exception may only name units of this district"),
        "auth.throttled": ("登录失败次数过多，请 {retryAfter} 秒后再试", "Too many failed sign-ins; try again in {retryAfter} seconds"),
        "auth.locked": ("登录失败次数过多，账号已临时锁定，请 {retryAfter} 秒后再试", "Too many failed sign-ins: locked for now; try again in {retryAfter} seconds"),
        "auth.password_too_long": ("密码不能超过 72 个字节（约 24 个汉字或 72 个英文字符）", "A password may be at most 72 bytes long"),
        "intake.throttled": ("提交过于频繁，请 {retryAfter} 秒后再试；紧急情况请拨打 12345 或 110", "Too many submissions; try again in {retryAfter} seconds. In an emergency call 12345 or 110"),
        "auth.foreign_origin": ("请求来自其他网站，已拒绝", "Refused: the request came from another site"),
        "server.storage_full": ("服务器存储空间已满或不可写，暂时无法保存，请稍后再试（已通知运维）", "The server cannot write (its disk is full or read-only); nothing was saved, try again later"),
        "server.database_busy": ("数据库正被其他程序占用，请稍后再试", "The database is held by another program; try again shortly"),
        "whistle.no_responders": ("至少需要一个报到单位", "At least one responder is required"),
        "command.nothing_to_change": ("没有要调整的内容：请填写职责、角色或时限", "Nothing to change: give a duty, a role or a deadline"),
        "task.no_site_visit": ("{kind}无需到场：报到后直接办理并办结", "A {kind} asks for no site visit: acknowledge, then complete"),
        "command.kind": ("{kind}不设临时指挥部：只有应急响应哨和联合联动哨可以设立", "A {kind} has no temporary command: only emergency and joint-action whistles do"),
        "meeting.not_found": ("协调会 {id} 不存在", "Meeting {id} does not exist"),
        "meeting.already_minuted": ("该协调会已有纪要", "This meeting's minutes are already recorded"),
        "review.not_emergency": ("总结评估只用于应急响应哨", "Reviews are written after emergency whistles only"),
        "review.already": ("该单位在本案中已有总结评估", "This responder is already reviewed on this case"),
        "decision.not_found": ("决定记录 {id} 不存在", "Decision {id} does not exist"),
        "decision.other_body": ("该决定不属于本单位的事项", "This body does not decide on that case"),
        "decision.not_supervision": ("集体评价只用于监督管理哨", "A collective evaluation is of a supervision whistle"),
        "decision.not_for_blow": ("该决定不是本单位的研判决定，或已用于另一次吹哨", "That decision is not this unit's decision to blow, or was used for another whistle"),
        "api_key.missing": ("缺少 API 密钥：请在 X-Api-Key 请求头或 api_key 参数中提供", "An API key is required: send it in the X-Api-Key header or the api_key parameter"),
        "api_key.invalid": ("API 密钥无效、已吊销或不能用于此接口", "The API key is unknown, revoked, or not for this interface"),
        "api_key.other_district": ("此 API 密钥不属于所请求的区", "This API key belongs to another district"),
        "api_key.not_found": ("API 密钥 {id} 不存在", "API key {id} does not exist"),
        "open311.service_not_found": ("服务 {id} 不存在或未对公众开放", "Service {id} does not exist or is not offered to the public"),
        "open311.request_not_found": ("服务请求 {id} 不存在", "Service request {id} does not exist"),
        "open311.token_not_found": ("令牌 {id} 不对应任何服务请求", "Token {id} stands for no service request"),
        "open311.jurisdiction_not_found": ("辖区 {id} 不存在", "Jurisdiction {id} does not exist"),
        "open311.format": ("地址 {id} 无效：请以 .json 或 .xml 结尾", "{id} is not a resource: end it in .json or .xml"),
        "open311.location_required": ("请提供位置：lat 和 long，或 address_string", "A location is required: lat and long, or address_string"),
        "open311.outside": ("该位置不在本区任何街道（乡镇）范围内：请核对坐标，或用 attribute[street] 指明街道", "The location lies in none of the district's streets: check it, or name the street in attribute[street]"),
        "open311.no_street": ("本辖区还没有街道（乡镇），暂不能受理", "This jurisdiction has no street or town yet to take requests"),
        "evaluation.no_head": ("{unit} 没有经街道同意并完成任命的负责人，无法评价", "{unit} has no head appointed with the street's consent to evaluate"),
        "evaluation.not_current_head": ("现任负责人是 {head}，不是 {named}", "The current head is {head}, not {named}"),
        "year_grades.too_many_good": ("“好”等次 {count} 个超过上限：{total} 个部门中至多 {limit} 个（{percent}%）", "{count} 好 grades exceed the limit: at most {limit} of {total} departments ({percent}%)"),
        "handover.not_found": ("移交记录 {id} 不存在", "Handover {id} does not exist"),
        "handover.illegal_transition": ("移交当前状态为 {state}，不能执行 {action}", "The handover is {state}; {action} is not allowed"),
        "handover.already_pending": ("已向该单位移交，等待接收", "A handover to this unit is already waiting"),
        "task.not_filing_role": ("只有牵头或立案单位可以登记立案", "Only the lead or the case-filing unit records the filing"),
        "task.already_filed": ("该任务已登记立案", "The filing of this task is already recorded"),
        "whistle.one_lead": ("只能有一个牵头单位", "Only one responder may lead"),
        "whistle.duplicate_responder": ("报到单位 {unit} 重复", "Responder {unit} is listed twice"),
        "whistle.lead_official_required": ("联合联动哨须指定牵头领导", "A joint-action whistle needs a lead official"),
        "whistle.appeal_other_street": ("该诉求不属于本单位", "This appeal belongs to another unit"),
        "whistle.not_ready_to_close": ("仍有报到单位未办结", "Some responders have not completed"),
        "deadline.in_past": ("时限 {field} 早于当前时间", "Deadline {field} is in the past"),
        "deadline.order": ("时限顺序应为 报到 ≤ 到场 ≤ 办结", "Deadlines must run acknowledge ≤ arrive ≤ complete"),
        "photo.too_large": ("照片超过大小上限 {limit} 字节", "The photo exceeds the {limit}-byte limit"),
        "photo.unsupported_type": ("不支持的照片格式 {type}（支持 JPEG、PNG、WebP）", "Unsupported photo type {type} (JPEG, PNG or WebP)"),
        "body.too_large": ("请求体过大", "The request body is too large"),
        "callback.reopen_needs_dissatisfied": ("只有“不满意”才能重新办理", "Only a 不满意 (dissatisfied) callback can reopen the appeal"),
        "appeal.tracking_not_found": ("查询码 {id} 不存在", "Tracking code {id} does not exist"),
        "rating.amend_reason_required": ("修改评价须说明理由", "Amending a rating needs a reason"),
        "username.taken": ("用户名 {id} 已存在", "Username {id} is already taken"),
        "unit.code_taken": ("单位编码 {id} 已存在", "Unit code {id} is already taken"),
        "server.unavailable": ("服务暂时不可用，请稍后重试", "The service is temporarily unavailable; try again shortly"),
        "server.internal": ("服务器内部错误", "Internal server error"),
        "hold.not_found": ("挂账申请 {id} 不存在", "Hold request {id} does not exist"),
        "hold.illegal_transition": ("挂账申请当前状态为 {state}，不能执行 {action}", "The hold is {state}; {action} is not allowed"),
        "hold.already_open": ("该吹哨已有挂账申请或正在挂账", "This whistle already has a hold requested or in force"),
        "supervision.nothing_running": ("该任务没有正在计时的时限", "This task has no running clock to supervise"),
        "endpoint.not_found": ("推送地址 {id} 不存在", "Endpoint {id} does not exist"),
        "notification.not_found": ("消息 {id} 不存在", "Notification {id} does not exist"),
        "http.error": ("请求错误：{reason}", "Request error: {reason}"),
        // Accountability (issue 5): rating rules, appraisal, consent to agency heads
        "rating.rules_impossible": ("较好与差的最低占比之和不能超过 100%", "The minimum shares of 较好 and 差 cannot add up to more than 100%"),
        "rating.violations_unexplained": ("{year} 年度评价有 {count} 处不符合评价规则，确认定稿须说明理由", "The {year} ratings break the rating rules in {count} places; finalising needs a recorded reason"),
        "rating.year_finalised": ("{year} 年度评价已定稿", "The {year} ratings are already finalised"),
        "rating.year_closed": ("{year} 年度评价已定稿，不能再评价或修改", "The {year} ratings are finalised: no rating can be given or amended for that year"),
        "appraisal.weights_sum": ("{field} 的权重合计为 {sum}，应为 1", "The weights of {field} add up to {sum}, not 1"),
        "appraisal.weight_floor": ("{field} 为 {value}，低于规定下限 {floor}", "{field} is {value}, below the floor of {floor}"),
        "consent.not_found": ("人事任免征求意见 {id} 不存在", "Consent request {id} does not exist"),
        "consent.illegal_transition": ("征求意见当前状态为 {state}，不能执行 {action}", "The consent request is {state}; {action} is not allowed"),
        "consent.not_agency": ("{unit} 不是本部门派驻街道的机构", "{unit} is not an agency of this department stationed in a street"),
        "evaluation.duplicate": ("{quarter} 已对该负责人作出评价", "This head has already been evaluated for {quarter}"),
        "evaluation.excellent_cap": ("{quarter} 优秀等次已达上限 {limit} 人", "{quarter} already has the most excellent grades allowed ({limit})"),
        // Unit boundaries (GeoJSON import, issue 15)
        "boundary.file": ("边界文件无法读取（{detail}）：应为 GeoJSON FeatureCollection；未导入任何数据", "The boundaries file could not be read ({detail}): a GeoJSON FeatureCollection is expected; nothing was imported"),
        "boundary.no_code": ("第 {feature} 个要素缺少 properties.code（单位编码）；未导入任何数据", "Feature {feature} has no properties.code (the unit code); nothing was imported"),
        "boundary.unknown_unit": ("第 {feature} 个要素：单位编码 {code} 不存在；未导入任何数据", "Feature {feature}: no unit has the code {code}; nothing was imported"),
        "boundary.not_area": ("第 {feature} 个要素：{code} 不是区、街乡、社区村或网格，不能设边界；未导入任何数据", "Feature {feature}: {code} is not a district, street, community or grid, so it has no boundary; nothing was imported"),
        "boundary.duplicate": ("第 {feature} 个要素：单位 {code} 的边界重复出现；未导入任何数据", "Feature {feature}: unit {code} appears twice; nothing was imported"),
        "boundary.not_polygon": ("第 {feature} 个要素（{code}）的几何类型是 {type}，应为 Polygon 或 MultiPolygon；未导入任何数据", "Feature {feature} ({code}): the geometry is a {type}, not a Polygon or MultiPolygon; nothing was imported"),
        "boundary.unreadable": ("第 {feature} 个要素（{code}）的坐标无法读取：应为 [经度, 纬度] 数组组成的环；未导入任何数据", "Feature {feature} ({code}): the coordinates cannot be read as rings of [lon, lat]; nothing was imported"),
        "boundary.ring_short": ("第 {feature} 个要素（{code}）：每个环至少需要 4 个坐标点；未导入任何数据", "Feature {feature} ({code}): every ring needs at least 4 positions; nothing was imported"),
        "boundary.ring_open": ("第 {feature} 个要素（{code}）：环未闭合（首尾坐标应相同）；未导入任何数据", "Feature {feature} ({code}): a ring is not closed (its first and last positions differ); nothing was imported"),
        "boundary.out_of_range": ("第 {feature} 个要素（{code}）：坐标超出范围（经度 -180～180，纬度 -90～90，顺序为 [经度, 纬度]）；未导入任何数据", "Feature {feature} ({code}): a position is out of range (longitude -180 to 180, latitude -90 to 90, written [lon, lat]); nothing was imported"),
        "boundary.too_many_positions": ("第 {feature} 个要素（{code}）：坐标点超过 {limit} 个，请先简化边界；未导入任何数据", "Feature {feature} ({code}): more than {limit} positions; simplify the boundary first; nothing was imported"),
        // Pages (server-rendered HTML)
        "page.csrf": ("表单已过期或来源不明，请刷新页面后重试", "The form has expired or did not come from this site; reload the page and try again"),
    ]

    static func render(code: String, params: [String: String], field: String?, language: Language) -> String {
        guard let entry = table[code] else { return code }
        var all = params
        if let field { all["field"] = field }
        if language == .zh, let reasonZh = params["reasonZh"] { all["reason"] = reasonZh }
        // A transition's state and action in words, not codes ("已到场", "报到"; "on site").
        if code.hasSuffix(".illegal_transition") {
            if let state = params["state"] { all["state"] = ErrorWords.state(state, language) }
            if let action = params["action"] { all["action"] = ErrorWords.action(action, language) }
        }
        // One pass over the template, so a value containing "{x}" is never substituted again.
        var text = ""
        var rest = Substring(language == .zh ? entry.zh : entry.en)
        while let open = rest.firstIndex(of: "{") {
            text += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let key = String(rest[rest.index(after: open)..<close])
            text += all[key] ?? "{\(key)}"
            rest = rest[rest.index(after: close)...]
        }
        return text + rest
    }

    static var knownCodes: Set<String> { Set(table.keys) }
}

extension WhistleError {
    /// Whether a localized text exists for this code (used by tests).
    public var hasMessage: Bool { Messages.knownCodes.contains(code) }
}
