import FluentKit
import Foundation
import SQLKit
import WhistleCore

/// The second, independent path to the metrics: replays a district's immutable timeline
/// (`events`) into facts and tallies them with `MetricTally`. What changes — states, acts and
/// whether they were on time, objections, reworks, extensions, supervision, grades,
/// satisfaction — comes from the events only; what never changes after creation (which unit
/// a task belongs to, which street received an appeal, who blew a whistle and on which
/// catalogue item) is read from the rows. Slow by design; tests and audits use it.
extension Services {
    public func recountFromEvents(district: UUID, period: MetricPeriod) async throws -> [UUID: UnitCounts] {
        var taskUnit: [UUID: UUID] = [:], noSiteVisit = Set<UUID>()
        for row in try await sql.raw("""
            SELECT t.id AS id, t.unit_id AS unit, w.kind AS kind FROM tasks t JOIN whistles w ON w.id = t.whistle_id
            WHERE w.district_id = \(bind: district)
            """).all() {
            let id = try row.decode(column: "id", as: UUID.self)
            taskUnit[id] = try row.decode(column: "unit", as: UUID.self)
            if WhistleKind(rawValue: try row.decode(column: "kind", as: String.self))?.needsSiteVisit == false { noSiteVisit.insert(id) }
        }
        var appealUnit: [UUID: UUID] = [:]
        for row in try await sql.raw("SELECT id, receiving_unit_id FROM appeals WHERE district_id = \(bind: district)").all() {
            appealUnit[try row.decode(column: "id", as: UUID.self)] = try row.decode(column: "receiving_unit_id", as: UUID.self)
        }
        var whistleRow: [UUID: (unit: UUID, classCode: String)] = [:]
        for row in try await sql.raw("""
            SELECT w.id AS id, w.blower_unit_id AS unit, ci.class_code AS class_code
            FROM whistles w LEFT JOIN catalogue_items ci ON ci.id = w.item_id WHERE w.district_id = \(bind: district)
            """).all() {
            whistleRow[try row.decode(column: "id", as: UUID.self)] =
                (try row.decode(column: "unit", as: UUID.self), try row.decode(column: "class_code", as: String?.self) ?? "-")
        }

        var tasks: [UUID: TaskFact] = [:]
        var appeals: [UUID: AppealFact] = [:]
        var whistles: [UUID: WhistleFact] = [:]
        var supervision: [UnitMark<Int>] = []
        var ratings: [UUID: UnitMark<Grade>] = [:]
        var reviews: [UnitMark<Grade>] = []
        var handovers: [UnitMark<UUID>] = []

        let events = try await EventModel.query(on: db).filter(\.$districtID == district).sort(\.$id).all()
        for event in events {
            guard let kind = EventKind(rawValue: event.kind) else { continue }
            let detail = Self.detail(event.detail)
            switch kind {
            case .taskSummoned:
                guard let id = event.taskID, let unit = taskUnit[id] else { continue }
                tasks[id] = TaskFact(unitID: unit, summonedAt: event.at, state: .summoned)
                tasks[id]?.needsSiteVisit = !noSiteVisit.contains(id)
            case .taskRated:
                guard let id = event.taskID, let unit = taskUnit[id], let grade = detail["grade"].flatMap(Grade.init) else { continue }
                ratings[id] = UnitMark(unitID: unit, at: event.at, value: grade)
            case .ratingAmended:
                guard let id = event.taskID, let grade = event.toState.flatMap(Grade.init) else { continue }
                ratings[id]?.value = grade
            case .taskHandedOver:
                guard let id = event.taskID, let unit = taskUnit[id], let to = detail["toUnitId"].flatMap(UUID.init(uuidString:)) else { continue }
                handovers.append(UnitMark(unitID: unit, at: event.at, value: to))
            case .taskReviewed:
                guard let id = event.taskID, let unit = taskUnit[id], let grade = detail["grade"].flatMap(Grade.init) else { continue }
                reviews.append(UnitMark(unitID: unit, at: event.at, value: grade))
            case .taskSupervised:
                guard let id = event.taskID, let unit = taskUnit[id] else { continue }
                supervision.append(UnitMark(unitID: unit, at: event.at, value: 1))
            case .appealReceived:
                guard let id = event.appealID, let unit = appealUnit[id] else { continue }
                appeals[id] = AppealFact(unitID: unit, receivedAt: event.at, state: .received)
            case .whistleBlown:
                guard let id = event.whistleID, let row = whistleRow[id] else { continue }
                whistles[id] = WhistleFact(unitID: row.unit, blownAt: event.at, kind: detail["kind"] ?? "",
                                           level: detail["level"] ?? "", classCode: row.classCode, state: .open)
            default: break
            }
            if event.kind.hasPrefix("task."), let id = event.taskID, var fact = tasks[id] {
                if let to = event.toState.flatMap(TaskState.init) { fact.state = to }
                let onTime = detail["onTime"] == "true"
                switch kind {
                case .taskAcknowledged: fact.acknowledged = true; fact.acknowledgedOnTime = onTime
                case .taskArrived: fact.arrivedOnTime = onTime
                case .taskCompleted: fact.completedOnTime = onTime
                case .taskReworked: fact.reworked = true
                case .taskExtensionGranted: fact.extended = true
                case .taskObjected: fact.objected = true
                default: break
                }
                tasks[id] = fact
            } else if event.kind.hasPrefix("appeal."), let id = event.appealID, var fact = appeals[id] {
                if let to = event.toState.flatMap(AppealState.init) { fact.state = to }
                switch kind {
                case .appealHandledLocally, .appealWhistled, .appealDismissed: fact.takenUp = true
                case .appealCallback where fact.state == .closed:
                    fact.closingSatisfaction = detail["satisfaction"].flatMap(Satisfaction.init)
                default: break
                }
                appeals[id] = fact
            } else if event.kind.hasPrefix("whistle."), event.taskID == nil, let id = event.whistleID, var fact = whistles[id],
                      let to = event.toState.flatMap(WhistleState.init) {
                fact.state = to
                whistles[id] = fact
            }
        }
        return MetricTally.tally(tasks: Array(tasks.values), appeals: Array(appeals.values), whistles: Array(whistles.values),
                                 supervision: supervision, ratings: Array(ratings.values), reviews: reviews, handovers: handovers, in: period)
    }

    static func detail(_ text: String) -> [String: String] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String]) ?? [:]
    }
}
