import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A real `whistle serve` process over a fresh SQLite data folder holding the small district
/// of `TestApp` (imported through `whistle import`), for process tests that need a live
/// server: races between requests, raw HTTP, restarts. Everything it starts is killed and its
/// folder removed by `stop()`.
final class LiveServer: @unchecked Sendable {
    typealias Child = CrashRecoveryTests.Child
    let dir: URL
    let children = CrashRecoveryTests.Children()
    let http = HTTPClient(eventLoopGroupProvider: .singleton)
    private(set) var port = 0
    private(set) var server: Child?
    private var tokens: [String: String] = [:]
    /// Settings added to every process this server folder starts.
    var extraEnvironment: [String: String] = [:]

    struct Response: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: String
        var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]) ?? [:] }
    }

    init(name: String) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("whistle-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    /// Runs `body` with a fresh live server folder; whatever happens, every child is killed
    /// and the folder removed afterwards.
    static func with(_ name: String, _ body: (LiveServer) async throws -> Void) async throws {
        let live = try LiveServer(name: name)
        do {
            try await body(live)
        } catch {
            await live.stop()
            throw error
        }
        await live.stop()
    }

    var dataDirectory: URL { dir.appendingPathComponent("data") }

    func environment(port: Int?) -> [String: String] {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("WHISTLE_") && $0.key != "DATABASE_URL" }
        env["WHISTLE_DATA_DIR"] = dataDirectory.path
        env["WHISTLE_BCRYPT_COST"] = "4"
        env["LOG_LEVEL"] = "warning"
        if let port { env["WHISTLE_PORT"] = "\(port)" }
        env.merge(extraEnvironment) { _, new in new }
        return env
    }

    /// Fixes the port before the server is started by something else than `start`.
    func use(port: Int) { self.port = port }

    /// Imports the test district with the CLI, as an operator would.
    func importDistrict() async throws {
        let whistle = try CrashRecoveryTests.executable()
        for (what, text) in [("units", TestApp.unitsCSV), ("people", TestApp.peopleCSV), ("catalogue", TestApp.catalogueCSV)] {
            let file = dir.appendingPathComponent("\(what).csv")
            try Data(text.utf8).write(to: file)
            let child = try children.start(whistle, ["import", what, file.path], env: environment(port: nil),
                                           log: dir.appendingPathComponent("import-\(what).log"))
            try #require(await child.waitForExit(timeout: .seconds(120)), "import \(what) did not finish:\n\(child.output)")
            try #require(child.exitStatus == 0, "import \(what) failed:\n\(child.output)")
        }
    }

    /// Starts `whistle serve` (or `command` wrapping it) and waits for `/healthz`. A port
    /// picked free can be taken by a parallel test before the server binds it: then another
    /// port is tried.
    @discardableResult
    func start(_ executable: URL? = nil, arguments: [String]? = nil, log: String = "serve.log") async throws -> Child {
        let whistle = try CrashRecoveryTests.executable()
        var attempt = 0
        while true {
            attempt += 1
            if port == 0 || attempt > 1 { port = try await CrashRecoveryTests.freePort() }
            let child = try children.start(executable ?? whistle, arguments ?? ["serve"], env: environment(port: port),
                                           log: dir.appendingPathComponent("\(attempt)-" + log))
            server = child
            do {
                try await waitHealthy(child)
                return child
            } catch where attempt < 5 && child.output.contains("Address already in use") {
                continue
            }
        }
    }

    func waitHealthy(_ child: Child, timeout: Duration = .seconds(120)) async throws {
        let deadline = ContinuousClock.now + timeout
        while (try? await request("GET", "/healthz", timeout: .seconds(2)))?.status != 200 {
            guard child.isRunning else { throw CrashRecoveryTests.Failure("the server exited (status \(child.exitStatus ?? -1)):\n\(child.output)") }
            guard ContinuousClock.now < deadline else { throw CrashRecoveryTests.Failure("the server did not answer /healthz:\n\(child.output)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    func stop() async {
        children.killAll()
        try? await http.shutdown()
        try? FileManager.default.removeItem(at: dir)
    }

    func request(_ method: String, _ path: String, token: String? = nil, json: Any? = nil, form: String? = nil,
                 headers: [String: String] = [:], timeout: TimeAmount = .seconds(30)) async throws -> Response {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = .init(rawValue: method)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        if let json {
            request.headers.replaceOrAdd(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: json)))
        } else if let form {
            request.headers.replaceOrAdd(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: form))
        }
        let response = try await http.execute(request, timeout: timeout)
        let body = try await response.body.collect(upTo: 4 << 20)
        return Response(status: Int(response.status.code), headers: response.headers, body: String(buffer: body))
    }

    /// Signs `user` in once (the test district's passwords are `password-<user>`).
    func token(_ user: String) async throws -> String {
        if let token = tokens[user] { return token }
        let response = try await request("POST", "/api/v1/auth/login", json: ["username": user, "password": "password-\(user)"])
        try #require(response.status == 200, "login \(user): \(response.status) \(response.body)")
        let token = try #require(response.json["token"] as? String)
        tokens[user] = token
        return token
    }

    func unitID(_ code: String, as user: String = "disp1") async throws -> String {
        let response = try await request("GET", "/api/v1/units?code=\(code)", token: try await token(user))
        let object = try JSONSerialization.jsonObject(with: Data(response.body.utf8))
        let items = (object as? [String: Any])?["items"] as? [[String: Any]] ?? (object as? [[String: Any]]) ?? []
        let unit = try #require(items.first { $0["code"] as? String == code }, "unit \(code) not listed: \(response.body)")
        return try #require(unit["id"] as? String)
    }

    /// Sends bytes as they are over a fresh connection and returns every byte the server
    /// answered until it closed the connection (for checks a client library would hide).
    func raw(_ text: String, timeoutSeconds: Int = 10) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CrashRecoveryTests.Failure("socket: \(errno)") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw CrashRecoveryTests.Failure("connect: \(errno)") }
        let bytes = Array(text.utf8)
        var sent = 0
        // Nothing to send: just wait for what the server does with a silent connection.
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw CrashRecoveryTests.Failure("send: \(errno)") }
            sent += n
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            received += buffer[0..<n]
        }
        return String(decoding: received, as: UTF8.self)
    }
}
