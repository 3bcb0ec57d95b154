import Foundation
@testable import WhistleCore

/// The seeded generator property tests use (reproducible runs).
typealias SeededRNG = SplitMix64

let shanghai = TimeZone(identifier: "Asia/Shanghai")!

var shanghaiCalendar: Calendar {
    var c = Calendar(identifier: .gregorian)
    c.timeZone = shanghai
    return c
}

/// A wall-clock instant in Beijing time. March 2025: the 3rd is a Monday, the 7th a Friday.
func sh(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0) -> Date {
    let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    return shanghaiCalendar.date(from: components)!
}

/// Builds units with real materialised paths.
struct OrgBuilder {
    private(set) var units: [OrgUnit] = []

    mutating func add(_ code: String, _ kind: UnitKind, under parent: OrgUnit? = nil,
                      function: String? = nil, stationedIn: OrgUnit? = nil) -> OrgUnit {
        let id = UUID()
        let unit = OrgUnit(id: id, code: code, name: code, kind: kind, parentID: parent?.id,
                           path: OrgUnit.path(parentPath: parent?.path, id: id),
                           function: function, stationedInID: stationedIn?.id)
        units.append(unit)
        return unit
    }
}

/// district → two streets → community → grid; a section of the first street; a department
/// with an agency stationed in the first street.
struct SampleOrg {
    let district, street, otherStreet, community, grid, section, department, agency: OrgUnit

    init() {
        var b = OrgBuilder()
        district = b.add("D", .district)
        street = b.add("S1", .street, under: district)
        otherStreet = b.add("S2", .town, under: district)
        community = b.add("C1", .community, under: street)
        grid = b.add("G1", .grid, under: community)
        section = b.add("SEC1", .section, under: street)
        department = b.add("DEP", .department, under: district, function: "urban-management")
        agency = b.add("AG", .agency, under: department, function: "urban-management", stationedIn: street)
    }

    func actor(_ unit: OrgUnit, _ roles: Role...) -> Actor {
        Actor(personID: UUID(), personName: "张三", unit: unit, roles: Set(roles))
    }
}
