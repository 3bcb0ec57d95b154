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
    /// What an action is taken on, named by the path parameter `id`; its type parameter is
    /// the kind of id the command takes, so a whistle's id never reaches a task's command.
    struct Subject<Entity>: Sendable {
        enum Visibility: Sendable {
            /// The command decides visibility inside its transaction (the task steps' `TaskStep`).
            case byCommand
            /// Checked here through the task's whistle (older task commands, the rating).
            case throughTask
            /// Checked here on the subject itself.
            case here
        }
        let entity: String
        let visibility: Visibility
    }

    /// Runs `command` on the case the path names, as `actor`. Returns its result and the id,
    /// typed as the command takes it (a `TaskID` for a task's command, and so on).
    static func perform<Entity, Result>(_ req: Request, on subject: Subject<Entity>, as actor: Actor,
                                        _ command: (Services, Actor, EntityID<Entity>) async throws -> Result)
        async throws -> (Result, EntityID<Entity>) {
        let services = req.whistle
        let id = try req.id("id", entity: subject.entity)
        switch subject.visibility {
        case .byCommand: break
        case .throughTask: try await services.requireVisible(try await services.task(TaskID(id)).whistleID.rawValue, by: actor)
        case .here: try await services.requireVisible(id, by: actor)
        }
        return (try await command(services, actor, EntityID(id)), EntityID(id))
    }
}

extension CaseAction.Subject where Entity == IDOf.Task {
    /// A task step: `TaskStep` checks visibility inside its transaction.
    static var task: Self { Self(entity: "task", visibility: .byCommand) }
    /// An older command on a task that does not check visibility itself.
    static var taskChecked: Self { Self(entity: "task", visibility: .throughTask) }
}

extension CaseAction.Subject where Entity == IDOf.Appeal {
    static var appeal: Self { Self(entity: "appeal", visibility: .here) }
}

extension CaseAction.Subject where Entity == IDOf.Whistle {
    static var whistle: Self { Self(entity: "whistle", visibility: .here) }
}
