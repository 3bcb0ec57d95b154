import Foundation
import WhistleCore
import WhistleStore

/// When an item comes up more often.
enum DemoSeason: Sendable { case any, summer, winter }

/// A catalogue item with what the history generator needs to make appeals about it.
struct DemoItemDef: Sendable {
    let code: String
    let classCode: String
    let name: String
    let primary: String
    let supporting: [String]
    let limitEmergency: String?
    let limitUrgent: String?
    let limitNormal: String
    /// Relative frequency among appeals.
    let weight: Double
    /// Shares of emergency and urgent appeals (the rest are normal).
    let emergencyShare: Double
    let urgentShare: Double
    let season: DemoSeason
    /// What appellants say (after the address).
    let texts: [String]
    /// What the handling unit reports when done.
    let result: String
}

/// The catalogue: Sanlitun's seven whistle classes plus two of Zaozhuang's domains.
enum DemoCatalogue {
    static let classes: [(code: String, name: String)] = [
        ("C01", "疏解整治促提升"),
        ("C02", "信访维稳"),
        ("C03", "安全隐患与应急处置"),
        ("C04", "生态环境"),
        ("C05", "宜居小区与物业管理"),
        ("C06", "公共服务"),
        ("C07", "其他重点工作"),
        ("C08", "市场监管"),
        ("C09", "城乡建设与自然资源"),
    ]

    static var items: [DemoItemDef] { DemoItems.all }

    static func rows() -> [CatalogueRow] {
        let names = Dictionary(uniqueKeysWithValues: classes.map { ($0.code, $0.name) })
        return items.map { item in
            CatalogueRow(classCode: item.classCode, className: names[item.classCode]!, itemCode: item.code, itemName: item.name,
                         primary: "function:\(item.primary)",
                         supporting: item.supporting.isEmpty ? nil : item.supporting.map { "function:\($0)" }.joined(separator: "|"),
                         limitEmergency: item.limitEmergency, limitUrgent: item.limitUrgent, limitNormal: item.limitNormal)
        }
    }

    /// Items a community, an owners' committee or a property company typically whistles about.
    static let communityItems = ["I0101", "I0108", "I0305", "I0306", "I0404", "I0406", "I0502", "I0503", "I0507", "I0508", "I0601", "I0604"]
    static let estateItems = ["I0501", "I0503", "I0504", "I0505", "I0506", "I0508"]
    static let partyItems = ["I0601", "I0502", "I0406", "I0703"]
    /// Items a street raises on its own initiative (district assignments, campaigns, supervision).
    static let campaignItems = ["I0101", "I0102", "I0104", "I0106", "I0302", "I0305", "I0401", "I0405", "I0406", "I0701",
                                "I0704", "I0801", "I0803", "I0902"]
}

/// Compact constructor for the item table.
func demoItem(_ code: String, _ classCode: String, _ name: String, _ primary: String, _ supporting: [String] = [],
              e: String? = nil, u: String? = "24h", n: String = "7wd", w: Double = 1, emergency: Double = 0, urgent: Double = 0.1,
              season: DemoSeason = .any, _ texts: [String], result: String) -> DemoItemDef {
    DemoItemDef(code: code, classCode: classCode, name: name, primary: primary, supporting: supporting,
                limitEmergency: e, limitUrgent: u, limitNormal: n, weight: w, emergencyShare: emergency,
                urgentShare: urgent, season: season, texts: texts, result: result)
}
