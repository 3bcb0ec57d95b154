import AsyncHTTPClient
import Foundation
import NIOCore
import SQLiteNIO
import Testing
@testable import WhistleWeb

/// Defects an adversary (or a double-click) found against a live server, checked against a
/// real `whistle serve` process: a lost race is a 409 and never a crash; `next=` never puts
/// a header into the answer or sends anyone off the site; one server per data folder.
@Suite(.serialized) struct ProcessHardeningTests {
    /// Two staff of one unit (or one double-click) send "request an extension" and "complete"
    /// at the same moment on one acknowledged task. Whichever lands second loses the race:
    /// it is answered 409 (or succeeds, when the extension came first and the completion
    /// withdrew it), never 5xx, and the server stays up. 60 rounds; the defect crashed the
    /// server in about one round of five.
    @Test(.timeLimit(.minutes(5)))
    func extensionRacingCompletionIsAConflictNeverACrash() async throws {
        try await LiveServer.with("race") { live in
            try await live.importDistrict()
            let server = try await live.start()
            let dispatcher = try await live.token("disp1")
            let staff = try await live.token("um")
            let agency = try await live.unitID("AG-UM-S1")
            var statuses: [String: Int] = [:]
            for round in 0..<60 {
                let blown = try await live.request("POST", "/api/v1/whistles", token: dispatcher, json: [
                    "title": "占道经营 \(round)", "description": "早市占道", "address": "幸福路1号",
                    "kind": "rally", "reason": "noAuthority", "responders": [["unitId": agency]]])
                try #require(blown.status == 201, "blow: \(blown.body)")
                let task = try #require((blown.json["tasks"] as? [[String: Any]])?.first?["id"] as? String)
                let acknowledged = try await live.request("POST", "/api/v1/tasks/\(task)/acknowledge", token: staff)
                try #require(acknowledged.status == 200, "acknowledge: \(acknowledged.body)")
                let until = ISO8601DateFormatter().string(from: Date().addingTimeInterval(90 * 86400))
                async let requested = live.request("POST", "/api/v1/tasks/\(task)/extensions", token: staff,
                                                   json: ["until": until, "reason": "需要协调"])
                async let completion = live.request("POST", "/api/v1/tasks/\(task)/complete", token: staff, json: ["result": "已清理"])
                let (e, c) = try await (requested, completion)
                statuses["extension \(e.status)", default: 0] += 1
                statuses["complete \(c.status)", default: 0] += 1
                #expect([201, 409].contains(e.status), "round \(round): extension answered \(e.status) \(e.body)")
                #expect([200, 409].contains(c.status), "round \(round): completion answered \(c.status) \(c.body)")
                #expect(e.status == 201 || c.status == 200, "round \(round): both lost")
                try #require(server.isRunning, "the server died in round \(round):\n\(server.output)")
                // Whatever the order, the task ends completed with no extension left pending.
                let shown = try await live.request("GET", "/api/v1/tasks/\(task)", token: staff)
                #expect(shown.json["state"] as? String == "completed", "round \(round): \(shown.body)")
                let pending = (shown.json["extensions"] as? [[String: Any]] ?? []).filter { $0["state"] as? String == "pending" }
                #expect(pending.isEmpty, "round \(round): an extension still pending after completion: \(shown.body)")
            }
            // The losing order is a 409, deterministically: an extension on a completed task.
            let blown = try await live.request("POST", "/api/v1/whistles", token: dispatcher, json: [
                "title": "占道经营", "description": "早市占道", "address": "幸福路1号",
                "kind": "rally", "reason": "noAuthority", "responders": [["unitId": agency]]])
            let task = try #require((blown.json["tasks"] as? [[String: Any]])?.first?["id"] as? String)
            _ = try await live.request("POST", "/api/v1/tasks/\(task)/acknowledge", token: staff)
            #expect(try await live.request("POST", "/api/v1/tasks/\(task)/complete", token: staff, json: ["result": "已清理"]).status == 200)
            let late = try await live.request("POST", "/api/v1/tasks/\(task)/extensions", token: staff, json: [
                "until": ISO8601DateFormatter().string(from: Date().addingTimeInterval(90 * 86400)), "reason": "需要协调"])
            #expect(late.status == 409, "\(late.body)")
            #expect(server.isRunning, "\(statuses)")
        }
    }

    static let hostile = [
        "%2F%0D%0ASet-Cookie:%20whistle_session=X",
        "%2F%0ASet-Cookie:%20whistle_session=X",
        "%2F%0D%0A%0D%0AHTTP/1.1%20200%20OK%0D%0AContent-Length:%200",
        "/%09/evil.example",
        "//evil.example",
        "/%5Cevil.example",
        "%5C%5Cevil.example",
        "https://evil.example/",
        "http:%2F%2Fevil.example",
    ]

    /// Every route that redirects to a `next=` target, with every hostile target, over a raw
    /// socket (a client library would hide a second response): one response, its `Location`
    /// the landing page, no header the attacker chose.
    @Test(.timeLimit(.minutes(3)))
    func nextNeverInjectsHeadersNorLeavesTheSite() async throws {
        try await LiveServer.with("next") { live in
            try await live.importDistrict()
            try await live.start()
            let session = try await live.token("disp1")
            let csrf = PageCSRF.token(session: session)
            let unit = try await live.unitID("S1")
            for next in Self.hostile {
                var answers: [(String, String)] = []
                // Signed in, /login sends the person on at once.
                answers.append(("GET /login", try live.raw(
                    "GET /login?next=\(next) HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: whistle_session=\(session)\r\nConnection: close\r\n\r\n")))
                // Signing in through the form.
                let login = "username=disp2&password=password-disp2&next=\(next)"
                let anonymous = "0123456789abcdef0123456789abcdef"
                answers.append(("POST /login", try live.raw(
                    "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: whistle_csrf=\(anonymous)\r\nX-CSRF-Token: \(anonymous)\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(login.utf8.count)\r\nConnection: close\r\n\r\n\(login)")))
                // Switching the acting unit.
                let switchForm = "unit=\(unit)&_csrf=\(csrf)&next=\(next)"
                answers.append(("POST /session/unit", try live.raw(
                    "POST /session/unit HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: whistle_session=\(session)\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(switchForm.utf8.count)\r\nConnection: close\r\n\r\n\(switchForm)")))
                for (route, answer) in answers {
                    let head = answer.components(separatedBy: "\r\n\r\n").first ?? ""
                    let lines = head.components(separatedBy: "\r\n")
                    #expect(lines.first == "HTTP/1.1 303 See Other", "\(route) next=\(next): \(lines.first ?? answer)")
                    let location = lines.filter { $0.lowercased().hasPrefix("location:") }
                    #expect(location == ["location: /home"] || location == ["Location: /home"], "\(route) next=\(next): \(location)")
                    #expect(!answer.contains("whistle_session=X\r\n"), "\(route) next=\(next): injected cookie\n\(answer)")
                    #expect(answer.components(separatedBy: "HTTP/1.1 ").count == 2, "\(route) next=\(next): a second response\n\(answer)")
                    #expect(!answer.contains("evil.example"), "\(route) next=\(next): \(head)")
                }
            }
            // The login form does not carry a hostile target either.
            let form = try await live.request("GET", "/login?next=%2F%0D%0ASet-Cookie:%20whistle_session=X")
            #expect(form.status == 200)
            #expect(!form.body.contains("Set-Cookie"), "\(form.body)")
            // A safe target is still honoured.
            let safe = try live.raw("GET /login?next=/whistles HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: whistle_session=\(session)\r\nConnection: close\r\n\r\n")
            #expect(safe.lowercased().contains("location: /whistles\r\n"), "\(safe)")
        }
    }

    /// A second server on the same SQLite data folder refuses to start and says who holds it.
    @Test(.timeLimit(.minutes(3)))
    func secondServerOnOneDataFolderRefusesToStart() async throws {
        try await LiveServer.with("lock") { live in
            let first = try await live.start()
            let holder = try String(contentsOf: live.dataDirectory.appendingPathComponent("whistle.lock"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(holder == "\(first.process.processIdentifier)")
            var env = live.environment(port: try await CrashRecoveryTests.freePort())
            env["LOG_LEVEL"] = "info"
            let second = try live.children.start(try CrashRecoveryTests.executable(), ["serve"], env: env,
                                                 log: live.dir.appendingPathComponent("second.log"))
            try #require(await second.waitForExit(timeout: .seconds(60)), "the second server kept running:\n\(second.output)")
            #expect(second.exitStatus != 0)
            #expect(second.output.contains("process \(holder)"), "\(second.output)")
            #expect(second.output.contains(live.dataDirectory.path), "\(second.output)")
            #expect(first.isRunning)
            #expect(try await live.request("GET", "/healthz").status == 200)
        }
    }

    /// A live stream opened before signing out ends at sign-out; a stream of another
    /// session goes on.
    @Test(.timeLimit(.minutes(3)))
    func signingOutEndsTheSessionsLiveStreams() async throws {
        try await LiveServer.with("stream") { live in
            try await live.importDistrict()
            try await live.start()
            let leaving = try await live.token("disp1")
            let staying = try await live.token("disp2")
            func open(_ token: String) async throws -> HTTPClientResponse {
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(live.port)/live/stream")
                request.headers.add(name: "Cookie", value: "whistle_session=\(token)")
                let response = try await live.http.execute(request, timeout: .seconds(60))
                #expect(response.status == .ok)
                return response
            }
            let first = try await open(leaving)
            let second = try await open(staying)
            let out = Task {
                try await Task.sleep(for: .milliseconds(300))
                return try await live.request("POST", "/api/v1/auth/logout", token: leaving).status
            }
            // Reads the first stream to its end, or gives up after 10 s.
            let ended = try await withThrowingTaskGroup(of: Bool?.self) { group in
                group.addTask {
                    var body = ""
                    for try await chunk in first.body { body += String(buffer: chunk) }
                    return body.contains("connected")
                }
                group.addTask { try await Task.sleep(for: .seconds(10)); return nil }
                let result = try await group.next() ?? nil
                group.cancelAll()
                return result
            }
            #expect(try await out.value == 204)
            #expect(ended == true, "the stream outlived its session")
            // The other session's stream is still open: it hears the next event.
            var iterator = second.body.makeAsyncIterator()
            _ = try await iterator.next()
            let blown = try await live.request("POST", "/api/v1/appeals", token: staying, json: [
                "channel": "hotline12345", "appellantName": "张三", "appellantPhone": "13812345678",
                "address": "幸福路1号", "description": "占道经营"])
            #expect(blown.status == 201, "\(blown.body)")
            let next = try await iterator.next()
            #expect(next.map { String(buffer: $0) }?.contains("appeal.received") == true)
        }
    }
}

/// Connections that say nothing are closed after `WHISTLE_IDLE_SECONDS`; a live stream,
/// which sends a keep-alive every third of that, stays open.
@Suite(.serialized) struct IdleConnectionTests {
    @Test(.timeLimit(.minutes(3)))
    func idleConnectionsAreClosedLiveStreamsStay() async throws {
        try await LiveServer.with("idle") { live in
            live.extraEnvironment["WHISTLE_IDLE_SECONDS"] = "6"
            try await live.importDistrict()
            try await live.start()
            let token = try await live.token("disp1")
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(live.port)/live/stream")
            request.headers.add(name: "Cookie", value: "whistle_session=\(token)")
            let stream = try await live.http.execute(request, timeout: .seconds(60))
            // A connection that never sends a request is closed by the server.
            let started = ContinuousClock.now
            let answer = try live.raw("", timeoutSeconds: 30)
            let waited = ContinuousClock.now - started
            #expect(answer.isEmpty)
            #expect(waited >= .seconds(5) && waited < .seconds(25), "closed after \(waited)")
            // Meanwhile the stream has had keep-alives and is still open.
            var iterator = stream.body.makeAsyncIterator()
            var seen = ""
            while !seen.contains("keep-alive") {
                guard let chunk = try await iterator.next() else { break }
                seen += String(buffer: chunk)
            }
            #expect(seen.contains(": keep-alive"), "\(seen)")
            let created = try await live.request("POST", "/api/v1/appeals", token: token, json: [
                "channel": "hotline12345", "appellantName": "张三", "appellantPhone": "13812345678",
                "address": "幸福路1号", "description": "占道经营"])
            #expect(created.status == 201)
            var after = ""
            while !after.contains("appeal.received") {
                guard let chunk = try await iterator.next() else { break }
                after += String(buffer: chunk)
            }
            #expect(after.contains("appeal.received"), "the stream was closed: \(after)")
        }
    }
}

/// The 16 KB body limit holds on a reused (keep-alive) connection too, where the body
/// arrives whole with its request head.
@Suite struct KeepAliveBodyLimitTests {
    @Test(.timeLimit(.minutes(2)))
    func oversizedBodiesAreRefusedOnEveryRequest() async throws {
        try await LiveServer.with("body-limit") { live in
            try await live.start()
            let big = "{\"username\":\"" + String(repeating: "x", count: 24 * 1024) + "\",\"password\":\"y\"}"
            var pipelined = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
            for index in 0..<5 {
                let last = index == 4
                pipelined += "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: \(big.utf8.count)\r\n" + (last ? "Connection: close\r\n" : "") + "\r\n" + big
            }
            let answer = try live.raw(pipelined)
            let statuses = answer.components(separatedBy: "\r\n").filter { $0.hasPrefix("HTTP/1.1 ") }
            #expect(statuses.first == "HTTP/1.1 200 OK", "\(statuses)")
            #expect(!statuses.dropFirst().contains { !$0.hasPrefix("HTTP/1.1 413") }, "\(statuses)")
            #expect(!answer.contains("auth.bad_credentials"), "an oversized body reached the handler")
        }
    }
}

/// `--help` prints and leaves nothing behind: no `./data`, no database, no migrations.
@Suite struct HelpLeavesNoTraceTests {
    @Test(.timeLimit(.minutes(2)))
    func helpCreatesNoDataFolder() async throws {
        try await LiveServer.with("help") { live in
            let folder = live.dir.appendingPathComponent("elsewhere")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("WHISTLE_") && $0.key != "DATABASE_URL" }
            env["LOG_LEVEL"] = "warning"
            for arguments in [["--help"], ["import", "--help"], ["serve", "--help"]] {
                let child = try live.children.start(try CrashRecoveryTests.executable(), arguments, env: env,
                                                    log: folder.appendingPathComponent("help.log"))
                try #require(await child.waitForExit(timeout: .seconds(60)), "\(arguments) did not finish")
                #expect(child.exitStatus == 0, "\(arguments):\n\(child.output)")
                #expect(!child.output.isEmpty, "\(arguments) printed nothing")
                #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("data").path),
                        "\(arguments) created ./data")
            }
        }
    }
}

/// A data folder that cannot be written stops the start with a message naming the path
/// and the cause (not a bare SQLite line).
@Suite struct UnwritableDataFolderTests {
    @Test(.timeLimit(.minutes(2)))
    func startNamesThePathAndTheCause() async throws {
        try await LiveServer.with("unwritable") { live in
            // A folder inside a regular file: no one, root included, can create it.
            let blocker = live.dir.appendingPathComponent("not-a-folder")
            try Data("x".utf8).write(to: blocker)
            var env = live.environment(port: try await CrashRecoveryTests.freePort())
            env["WHISTLE_DATA_DIR"] = blocker.appendingPathComponent("data").path
            let child = try live.children.start(try CrashRecoveryTests.executable(), ["serve"], env: env,
                                                log: live.dir.appendingPathComponent("unwritable.log"))
            try #require(await child.waitForExit(timeout: .seconds(60)), "the server started on an unwritable folder")
            #expect(child.exitStatus == 1)
            #expect(child.output.contains(blocker.appendingPathComponent("data").path), "\(child.output)")
            #expect(child.output.contains("Not a directory") || child.output.contains("not a directory"), "\(child.output)")
        }
    }
}

/// A SQLite database another process holds locked: requests wait a bounded time
/// (`WHISTLE_SQLITE_BUSY_MS`), are answered 503 `server.database_busy`, and work again as
/// soon as the lock goes.
@Suite(.serialized) struct LockedDatabaseTests {
    @Test(.timeLimit(.minutes(3)))
    func aLockedDatabaseIsA503NotAHang() async throws {
        try await LiveServer.with("locked") { live in
            live.extraEnvironment["WHISTLE_SQLITE_BUSY_MS"] = "500"
            try await live.importDistrict()
            try await live.start()
            let locker = try await SQLiteConnection.open(storage: .file(path: live.dataDirectory.appendingPathComponent("whistle.sqlite").path))
            try await locker.query("BEGIN EXCLUSIVE")
            try await locker.query("INSERT INTO settings (key, value) VALUES ('lock-test', '1')")
            let refused = try await live.request("POST", "/api/v1/auth/login", json: ["username": "disp1", "password": "password-disp1"],
                                                 timeout: .seconds(30))
            #expect(refused.status == 503, "\(refused.body)")
            #expect(refused.json["code"] as? String == "server.database_busy")
            #expect(refused.headers.first(name: "Retry-After") != nil)
            try await locker.query("ROLLBACK")
            try await locker.close()
            let accepted = try await live.request("POST", "/api/v1/auth/login", json: ["username": "disp1", "password": "password-disp1"])
            #expect(accepted.status == 200, "\(accepted.body)")
        }
    }
}
