import Vapor
import WhistleCore
import WhistleStore

/// A person's inbox of notifications: `GET /inbox`, and marking them read.
enum InboxController {
    struct NotificationDTO: Content {
        var id: UUID; var kind: String; var title: String; var body: String; var whistleId: UUID?; var taskId: UUID?
        var createdAt: Date; var readAt: Date?
        init(_ n: InboxNotification) {
            id = n.id; kind = n.kind; title = n.title; body = n.body; whistleId = n.whistleID; taskId = n.taskID
            createdAt = n.createdAt; readAt = n.readAt
        }
    }

    static func inbox(_ req: Request) async throws -> PageDTO<NotificationDTO> {
        let actor = try req.requireActor()
        let page = try await req.whistle.inbox(personID: actor.personID, unreadOnly: try req.params.bool("unread") ?? false,
                                               page: try req.params.page())
        return PageDTO(page, map: NotificationDTO.init)
    }

    struct ReadDTO: Content { var marked: Int }

    static func markRead(_ req: Request) async throws -> ReadDTO {
        let actor = try req.requireActor()
        let id = req.parameters.get("id") == nil ? nil : try req.id("id", entity: "notification")
        return ReadDTO(marked: try await req.whistle.markRead(id, personID: actor.personID))
    }
}
