import Foundation
import Vapor

/// Every page address, in one place: `pageRoutes` registers each route from it (`pattern`)
/// and every link, form action and redirect the pages print is built from it (`path`). A
/// renamed route cannot leave a dead link behind. (The model is the Swift Package Index
/// server's `SiteURL`.)
enum SiteURL: Sendable {
    /// A path parameter: a value in a link, the parameter itself when registering.
    enum Ref: Sendable {
        case id(UUID)
        case text(String)
        case pattern

        func segment(_ name: String) -> String {
            switch self {
            case .id(let id): id.uuidString
            case .text(let text): text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? text
            case .pattern: ":" + name
            }
        }
    }

    enum AppealStep: String, Sendable { case handleLocally = "handle-locally", dismiss, complete, callback }
    enum WhistleStep: String, Sendable { case close, cancel, responders, posts, verifyMany = "verify-many", rateMany = "rate-many" }
    enum TaskStep: String, Sendable {
        case acknowledge, arrive, progress, complete, objection, `extension`, verify, rework, overrule, rating
        case reassign, change, filing, handover
    }
    enum HandoverStep: String, Sendable { case accept, refuse }

    case root, login, logout, sessionUnit, home
    case console, intake, appeal(Ref), appealStep(Ref, AppealStep)
    case board, blowForm, whistles, whistle(Ref), whistleStep(Ref, WhistleStep)
    case inbox, task(Ref), taskStep(Ref, TaskStep), extensionDecision(Ref), handoverStep(Ref, HandoverStep)
    case dashboard, emergency(Ref), gridReport, gridReportDone(Ref)
    case admin, adminImport(Ref)
    case citizen, citizenTrackLookup, citizenTrack(Ref), citizenRate(Ref)
    case liveStream, liveTrack(Ref)

    /// The address as a page prints it.
    var path: String { "/" + segments.joined(separator: "/") }

    /// The address with a query, e.g. `.liveStream.with(["subject": id])`.
    func with(_ query: [(String, String)]) -> String {
        var components = URLComponents()
        components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) }
        return path + "?" + (components.percentEncodedQuery ?? "")
    }

    /// The route pattern to register (`:id`, `:code`, `:what` for the parameters).
    var pattern: [PathComponent] { segments.map(PathComponent.init(stringLiteral:)) }

    private var segments: [String] {
        switch self {
        case .root: []
        case .login: ["login"]
        case .logout: ["logout"]
        case .sessionUnit: ["session", "unit"]
        case .home: ["home"]
        case .console: ["console"]
        case .intake: ["console", "new"]
        case .appeal(let id): ["appeals", id.segment("id")]
        case .appealStep(let id, let step): ["appeals", id.segment("id"), step.rawValue]
        case .board: ["board"]
        case .blowForm: ["whistles", "new"]
        case .whistles: ["whistles"]
        case .whistle(let id): ["whistles", id.segment("id")]
        case .whistleStep(let id, let step): ["whistles", id.segment("id"), step.rawValue]
        case .inbox: ["inbox"]
        case .task(let id): ["tasks", id.segment("id")]
        case .taskStep(let id, let step): ["tasks", id.segment("id"), step.rawValue]
        case .extensionDecision(let id): ["extensions", id.segment("id"), "decision"]
        case .handoverStep(let id, let step): ["handovers", id.segment("id"), step.rawValue]
        case .dashboard: ["dashboard"]
        case .emergency(let id): ["emergency", id.segment("id")]
        case .gridReport: ["grid", "report"]
        case .gridReportDone(let id): ["grid", "report", id.segment("id")]
        case .admin: ["admin"]
        case .adminImport(let what): ["admin", "import", what.segment("what")]
        case .citizen: ["citizen"]
        case .citizenTrackLookup: ["citizen", "track"]
        case .citizenTrack(let code): ["citizen", "track", code.segment("code")]
        case .citizenRate(let code): ["citizen", "track", code.segment("code"), "rate"]
        case .liveStream: ["live", "stream"]
        case .liveTrack(let code): ["live", "track", code.segment("code")]
        }
    }
}
