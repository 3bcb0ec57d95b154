import Foundation

/// Figures a responder reports with its arrival or its progress: people and vehicles it has
/// on site, items seized and their value (行刑衔接 turns on such thresholds). The case sums them
/// (`total`): people and vehicles as each responder last reported them (a new report replaces
/// the responder's earlier one: they are who is there now), items and value over every report
/// (each report adds what was newly seized).
public struct CaseFigures: Codable, Sendable, Equatable {
    public var officers: Int?
    public var vehicles: Int?
    public var itemsSeized: Int?
    /// Value of what was seized, in yuan.
    public var valueYuan: Double?

    public init(officers: Int? = nil, vehicles: Int? = nil, itemsSeized: Int? = nil, valueYuan: Double? = nil) {
        self.officers = officers; self.vehicles = vehicles; self.itemsSeized = itemsSeized; self.valueYuan = valueYuan
    }

    public var isEmpty: Bool { officers == nil && vehicles == nil && itemsSeized == nil && valueYuan == nil }

    /// Counts are whole, not negative, and plausible.
    public func validate(field: String = "figures") throws {
        for (name, value) in [("officers", officers), ("vehicles", vehicles), ("itemsSeized", itemsSeized)] {
            if let value, !(0...1_000_000).contains(value) {
                throw WhistleError.invalid("\(field).\(name)", "must be between 0 and 1000000")
            }
        }
        if let valueYuan, !(valueYuan.isFinite && valueYuan >= 0 && valueYuan <= 1e12) {
            throw WhistleError.invalid("\(field).valueYuan", "must be between 0 and 1000000000000")
        }
    }

    /// The figures as an event's detail keys.
    public var detail: [String: String] {
        var d: [String: String] = [:]
        if let officers { d["officers"] = String(officers) }
        if let vehicles { d["vehicles"] = String(vehicles) }
        if let itemsSeized { d["itemsSeized"] = String(itemsSeized) }
        if let valueYuan { d["valueYuan"] = String(valueYuan) }
        return d
    }

    /// The figures an event's detail carries (none: nil).
    public init?(detail: [String: String]) {
        self.init(officers: detail["officers"].flatMap { Int($0) }, vehicles: detail["vehicles"].flatMap { Int($0) },
                  itemsSeized: detail["itemsSeized"].flatMap { Int($0) }, valueYuan: detail["valueYuan"].flatMap { Double($0) })
        if isEmpty { return nil }
    }

    /// The case's totals from its reports in the order they were made.
    public static func total(_ reports: [(task: UUID?, figures: CaseFigures)]) -> CaseFigures {
        var officers: [UUID?: Int] = [:], vehicles: [UUID?: Int] = [:]
        var items: Int?, value: Double?
        for (task, f) in reports {
            if let o = f.officers { officers[task] = o }
            if let v = f.vehicles { vehicles[task] = v }
            if let i = f.itemsSeized { items = (items ?? 0) + i }
            if let v = f.valueYuan { value = (value ?? 0) + v }
        }
        return CaseFigures(officers: officers.isEmpty ? nil : officers.values.reduce(0, +),
                           vehicles: vehicles.isEmpty ? nil : vehicles.values.reduce(0, +),
                           itemsSeized: items, valueYuan: value.map { ($0 * 100).rounded() / 100 })
    }
}
