import Foundation
import Testing
@testable import WhistleCore

/// The order's fingerprint (`HotlineReplay.digest`, version 2) and the one stored before it.
struct HotlineDigestTests {
    static let order = HotlineOrder(
        orderNo: "BJ2025-0002", receivedAt: Date(timeIntervalSince1970: 1_740_963_600), category: "C01", street: "S1",
        address: "幸福路2号", description: "夜市噪音", appellantName: "李四", appellantPhone: "13812345679", urgency: .urgent,
        limitHours: 24, handledAt: Date(timeIntervalSince1970: 1_740_967_200), resolvedAt: Date(timeIntervalSince1970: 1_741_053_600),
        result: "已劝离", callbackAt: Date(timeIntervalSince1970: 1_741_140_000), satisfaction: .satisfied,
        returnedAt: Date(timeIntervalSince1970: 1_741_140_001), returnReason: "退回")

    /// Each field changed on its own, and a value moved from one text field into its neighbour.
    static let changes: [(String, @Sendable (inout HotlineOrder) -> Void)] = [
        ("orderNo", { $0.orderNo += "1" }), ("receivedAt", { $0.receivedAt += 0.001 }), ("category", { $0.category = "C02" }),
        ("street", { $0.street = "S2" }), ("address", { $0.address += " " }), ("description", { $0.description = "夜市" }),
        ("appellantName", { $0.appellantName = "李" }), ("appellantPhone", { $0.appellantPhone = "13812345670" }),
        ("urgency", { $0.urgency = nil }), ("limitHours", { $0.limitHours = 24.5 }), ("handledAt", { $0.handledAt = nil }),
        ("resolvedAt", { $0.resolvedAt? += 1 }), ("result", { $0.result = "" }), ("callbackAt", { $0.callbackAt = nil }),
        ("satisfaction", { $0.satisfaction = .dissatisfied }), ("returnedAt", { $0.returnedAt = nil }),
        ("returnReason", { $0.returnReason = nil }),
        ("address → description", { $0.address = "幸福路2"; $0.description = "号夜市噪音" }),
    ]

    @Test func versionTwoIsPrefixedStableAndPinned() {
        let digest = HotlineReplay.digest(Self.order)
        #expect(digest.hasPrefix("v2:") && digest.count <= 19)
        #expect(HotlineReplay.digest(Self.order) == digest)
        // Pinned: a change to the encoding would turn every order stored since into a conflict.
        #expect(digest == "v2:8db2881a760c8cd8")
        #expect(HotlineReplay.legacyDigest(Self.order) == "acc22802dbcfa46f")
    }

    @Test func everyFieldChangesIt() {
        let digest = HotlineReplay.digest(Self.order)
        var seen: Set<String> = [digest]
        for (name, change) in Self.changes {
            var changed = Self.order
            change(&changed)
            #expect(changed != Self.order, "\(name)")
            #expect(seen.insert(HotlineReplay.digest(changed)).inserted, "changing \(name) leaves the fingerprint")
        }
    }

    @Test func itCoversEveryStoredPropertyOfTheOrder() {
        let properties = Mirror(reflecting: Self.order).children.compactMap(\.label)
        #expect(properties == HotlineReplay.digestFields)
        #expect(Set(Self.changes.map(\.0)).isSuperset(of: properties))
    }

    @Test func aFingerprintStoredBeforeVersionTwoIsComparedTheOldWay() {
        let digest = HotlineReplay.digest(Self.order)
        let legacy = HotlineReplay.legacyDigest(Self.order)
        #expect(!legacy.hasPrefix("v") && legacy != digest)
        #expect(HotlineReplay.isSame(stored: legacy, as: Self.order, digest: digest))
        #expect(HotlineReplay.isSame(stored: digest, as: Self.order, digest: digest))
        var changed = Self.order
        changed.description = "内容被改动"
        let changedDigest = HotlineReplay.digest(changed)
        #expect(!HotlineReplay.isSame(stored: legacy, as: changed, digest: changedDigest))
        #expect(!HotlineReplay.isSame(stored: digest, as: changed, digest: changedDigest))
    }
}
