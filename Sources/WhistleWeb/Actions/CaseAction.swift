import Foundation
import Vapor
import WhistleCore
import WhistleStore

/// One action on a case, written once and presented twice: the API answers the result as
/// JSON, a page answers `303 See Other` to the case. `perform` names the case from the path,
/// makes sure the actor may see it (once: inside the command's own transaction where the
/// command decides visibility itself — the task steps' `TaskStep` — and here otherwise) and
/// runs the command. The live feed is woken once, after any write, by `LiveWakeMiddleware`.
enum CaseAction {
    /// What an action is taken on, named by the path parameter `id`.
    enum Subject {
        /// A task step: `TaskStep` checks visibility inside its transaction.
        case task
        /// An older command on a task that does not check visibility itself.
        case taskChecked
        case appeal
        case whistle

        var entity: String {
            switch self {
            case .task, .taskChecked: "task"
            case .appeal: "appeal"
            case .whistle: "whistle"
            }
        }
    }

    /// Runs `command` on the case the path names, as `actor`. Returns its result and the id.
    static func perform<Result>(_ req: Request, on subject: Subject, as actor: Actor,
                                _ command: (Services, Actor, UUID) async throws -> Result) async throws -> (Result, UUID) {
        let services = req.whistle
        let id = try req.id("id", entity: subject.entity)
        switch subject {
        case .task: break
        case .taskChecked: try await services.requireVisible(try await services.task(id).whistleID.rawValue, by: actor)
        case .appeal, .whistle: try await services.requireVisible(id, by: actor)
        }
        return (try await command(services, actor, id), id)
    }
}
