import AsyncHTTPClient
import Foundation
import HTTPTypes
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import Testing
import Vapor
import WhistleClient
@testable import WhistleWeb

/// The loop through the generated Swift client (Sources/WhistleClient) against a real server
/// listening on a port: every request and answer goes through docs/openapi.json's types, so
/// a document that drifted from the server fails here as a decoding error.
@Suite struct ClientEndToEndTests {
    /// Adds `Authorization: Bearer …` to every request.
    struct Bearer: ClientMiddleware {
        var token: String
        func intercept(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
                       next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?))
            async throws -> (HTTPResponse, HTTPBody?) {
            var request = request
            request.headerFields[.authorization] = "Bearer \(token)"
            return try await next(request, body, baseURL)
        }
    }

    /// A live server for `t`'s app on a free port, and a way to make clients for it.
    struct Live {
        let url: URL
        let transport = AsyncHTTPClientTransport(configuration: .init(client: .shared, timeout: .seconds(30)))

        func client(token: String? = nil) -> WhistleClient.Client {
            WhistleClient.Client(serverURL: url, transport: transport, middlewares: token.map { [Bearer(token: $0)] } ?? [])
        }

        func signIn(_ user: String) async throws -> Components.Schemas.Login {
            try await client().login(body: .json(.init(username: user, password: "password-\(user)"))).ok.body.json
        }
    }

    static func live(_ body: (Live) async throws -> Void) async throws {
        try await TestApp.run { t in
            t.app.http.server.configuration.hostname = "127.0.0.1"
            t.app.http.server.configuration.port = 0
            try await t.app.server.start()
            do {
                let port = try #require(t.app.http.server.shared.localAddress?.port)
                try await body(Live(url: try #require(URL(string: "http://127.0.0.1:\(port)"))))
            } catch {
                await t.app.server.shutdown()
                throw error
            }
            await t.app.server.shutdown()
        }
    }

    @Test func appealWhistleAcknowledgeArriveAndTimeline() async throws {
        try await Self.live { live in
            let login = try await live.signIn("disp1")
            #expect(login.me.username == "disp1")
            #expect(login.me.actingUnit?.code == "S1")
            #expect(login.me.roles == [.dispatcher])
            let disp = live.client(token: login.token)

            let units = try await disp.listUnits().ok.body.json
            let unit = { (code: String) throws -> String in try #require(units.first { $0.code == code }?.id) }
            let catalogue = try await disp.getCatalogue().ok.body.json
            let item = try #require(catalogue.items.first { $0.code == "SAFE-01" })
            #expect(item.limits.additionalProperties["normal"] == "7wd")

            var input = Components.Schemas.NewAppeal(channel: .hotline12345)
            input.appellantName = "李四"; input.appellantPhone = "13900000001"; input.address = "幸福路1号"
            input.description = "早市占道经营"; input.itemId = item.id; input.gridId = try unit("G1")
            let appeal = try await disp.createAppeal(body: .json(input)).created.body.json
            #expect(appeal.state == .received)
            #expect(appeal.channel == .hotline12345)
            #expect(appeal.appellant.masked == false, "the receiving street's dispatcher sees the contact")
            #expect(appeal.appellant.phone == "13900000001")
            #expect(appeal.actions == [.blow, .handleLocally, .dismiss], "what the receiving street may do with it now")

            let proposal = try await disp.proposeResponders(query: .init(itemId: item.id)).ok.body.json
            #expect(proposal.contains { $0.unitId == (try? unit("AG-UM-S1")) && $0.role == .lead })

            var blow = Components.Schemas.NewWhistle()
            blow.title = "占道经营"; blow.description = "早市占道"; blow.address = "幸福路1号"
            blow.kind = .rally; blow.reason = .noAuthority; blow.appealId = appeal.id; blow.itemId = item.id
            blow.responders = [.init(unitId: try unit("AG-UM-S1")), .init(unitId: try unit("DEP-MR"))]
            let whistle = try await disp.blowWhistle(body: .json(blow)).created.body.json
            #expect(whistle.state == .open)
            #expect(whistle.appealId == appeal.id)
            #expect(whistle.actions == [.cancel, .addResponder], "open: withdraw or summon more; closing waits for the units")
            let tasks = try #require(whistle.tasks)
            #expect(tasks.count == 2)
            #expect(tasks.allSatisfy { $0.state == .summoned })
            let task = try #require(tasks.first { $0.unitId == (try? unit("AG-UM-S1")) })

            let um = live.client(token: try await live.signIn("um").token)
            let inbox = try await um.taskInbox(query: .init(state: .summoned)).ok.body.json
            #expect(inbox.items.map(\.id) == [task.id])
            let acknowledged = try await um.acknowledgeTask(path: .init(id: task.id)).ok.body.json
            #expect(acknowledged.state == .acknowledged)
            #expect(acknowledged.acknowledgedAt != nil)
            #expect(acknowledged.actions?.contains(.arrive) == true)
            let arrived = try await um.arriveTask(path: .init(id: task.id),
                                                  body: .json(.init(lat: 39.93, lon: 116.45))).ok.body.json
            #expect(arrived.state == .onSite)
            #expect(arrived.arriveLat == 39.93)
            let seenByResponder = try await um.getWhistle(path: .init(id: whistle.id)).ok.body.json
            #expect(seenByResponder.actions == [], "a responder has no step on the whistle as a whole")

            let events = try await disp.whistleTimeline(path: .init(id: whistle.id)).ok.body.json
            let kinds = events.map(\.kind)
            #expect(kinds.first == "whistle.blown")
            #expect(kinds.contains("task.acknowledged") && kinds.contains("task.arrived"))
            let shown = try await disp.getAppeal(path: .init(id: appeal.id)).ok.body.json
            #expect(shown.state == .whistled)
            #expect(shown.whistleId == whistle.id)
            #expect(shown.actions == [], "a whistled appeal waits for its whistle")
        }
    }

    /// Errors arrive as the document's problem type; the public side needs no token.
    @Test func problemsAndThePublicSide() async throws {
        try await Self.live { live in
            let anonymous = live.client()
            switch try await anonymous.me() {
            case .default(let status, let problem):
                let body = try problem.body.applicationProblemJson
                #expect(status == 401 && body.status == 401)
                #expect(body.code == "auth.unauthenticated")
            case .ok:
                Issue.record("signed out, yet /me answered")
            }

            let disp = live.client(token: try await live.signIn("disp1").token)
            let street = try #require(try await disp.listUnits(query: .init(kind: .street)).ok.body.json.first { $0.code == "S1" })
            var appeal = Components.Schemas.PublicAppealInput(channel: .citizenOnline)
            appeal.appellantName = "张三"; appeal.appellantPhone = "13900000000"; appeal.streetId = street.id
            appeal.address = "幸福路2号"; appeal.description = "夜间施工扰民"
            let receipt = try await anonymous.submitPublicAppeal(body: .json(appeal)).created.body.json
            #expect(receipt.state == .received)
            let tracked = try await anonymous.trackPublicAppeal(path: .init(code: receipt.trackingCode)).ok.body.json
            #expect(tracked.number == receipt.number)
            #expect(tracked.canRate == false)
            #expect(tracked.steps.map(\.kind) == ["appeal.received"])

            switch try await disp.getAppeal(path: .init(id: UUID().uuidString)) {
            case .default(let status, let problem):
                #expect(status == 404)
                #expect(try problem.body.applicationProblemJson.code == "appeal.not_found")
            case .ok:
                Issue.record("a random id was found")
            }
            let document = try await anonymous.openAPIDocument().ok.body.json
            #expect((document.value["openapi"] ?? nil) as? String == "3.1.0")
        }
    }
}
