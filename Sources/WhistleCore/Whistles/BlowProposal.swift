import Foundation

/// What the blow form proposes before the dispatcher changes it: the kind and reason from the
/// case's urgency and the catalogue item, and a short title. Proposals only; the blow itself
/// is decided by `WhistleBlowing`.
public enum BlowProposal {
    /// An emergency is an emergency whistle; an item that several units answer for (a primary
    /// and supporting ones) needs joint enforcement (联合联动哨); otherwise the units are
    /// rallied (集结报到哨).
    public static func kind(item: CatalogueItem?, urgency: Urgency) -> WhistleKind {
        if urgency == .emergency { return .emergency }
        if let item, !item.supporting.isEmpty { return .jointAction }
        return .rally
    }

    /// The reason that goes with a kind.
    public static func reason(for kind: WhistleKind) -> WhistleReason {
        switch kind {
        case .emergency: .emergency
        case .jointAction: .jointEnforcement
        case .supervision: .supervision
        case .rally: .noAuthority
        }
    }

    /// A short title: the item's name and the place when there is an item, otherwise the
    /// description's first clause — never the whole description.
    public static func title(description: String, itemName: String?, address: String?) -> String {
        let place = address.map { String($0.trimmingCharacters(in: .whitespacesAndNewlines).prefix(24)) } ?? ""
        if let itemName, !itemName.isEmpty { return place.isEmpty ? itemName : itemName + "（" + place + "）" }
        let stops: Set<Character> = ["，", "。", "；", "！", "？", ",", ".", ";", "!", "?", "\n"]
        let clause = description.trimmingCharacters(in: .whitespacesAndNewlines).prefix { !stops.contains($0) }
        return String(clause.prefix(30))
    }
}
