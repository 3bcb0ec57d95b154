import Foundation

/// The words an error message says for the codes it carries: "已到场" and "报到", not "onSite"
/// and "acknowledge" (the `state` and `action` of an illegal transition).
enum ErrorWords {
    static let actionsZh: [String: String] = [
        "acknowledge": "报到", "arrive": "到场", "progress": "报告进展", "requestExtension": "申请延期", "object": "提出异议",
        "complete": "办结", "verify": "核查", "rework": "返工", "overrule": "驳回异议", "reassign": "改派", "cancel": "撤回",
        "grantExtension": "批准延期", "handleLocally": "街道自办", "blow": "吹哨", "completeLocally": "自办办结",
        "whistleClosed": "结案", "whistleCancelled": "撤销吹哨", "callback": "回访", "reopen": "重新办理", "dismiss": "不予受理",
        "escalate": "上报街道", "close": "结案", "rate": "评价", "addResponder": "增派单位", "change": "调整任务", "file": "立案",
        "handover": "移交", "post": "发布", "review": "复盘", "withdraw": "撤回", "decide": "决定", "accept": "接收", "refuse": "拒收",
        "complete_change": "完成调整", "evaluate": "评价",
    ]

    static func state(_ code: String, _ language: Language) -> String {
        if language == .en { return words(code) }
        let others = ["pending": "待决定", "granted": "已批准", "refused": "已拒绝", "withdrawn": "已撤回", "accepted": "已接收",
                      "proposed": "已提出", "consented": "已同意"]
        return AppealState(rawValue: code)?.nameZh ?? TaskState(rawValue: code)?.nameZh ?? WhistleState(rawValue: code)?.nameZh
            ?? others[code] ?? code
    }

    static func action(_ code: String, _ language: Language) -> String {
        language == .en ? words(code) : actionsZh[code] ?? code
    }

    /// "onSite" → "on site", "requestExtension" → "request extension".
    static func words(_ code: String) -> String {
        var out = ""
        for ch in code {
            if ch.isUppercase { out += " " + ch.lowercased() } else if ch == "_" { out += " " } else { out.append(ch) }
        }
        return out
    }
}
