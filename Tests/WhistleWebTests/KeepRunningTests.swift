import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A crash is not the end: `scripts/keep-running` (what `scripts/run-demo` runs the server
/// under, and the stand-in for systemd's `Restart=always`) starts a killed server again on
/// the same data, and SIGTERM stops both the loop and the server.
@Suite(.serialized) struct KeepRunningTests {
    static func script(filePath: String = #filePath) -> String {
        URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/keep-running").path
    }

    static func holder(_ live: LiveServer) -> Int32? {
        let text = try? String(contentsOf: live.dataDirectory.appendingPathComponent("whistle.lock"), encoding: .utf8)
        return text.flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    static func alive(_ pid: Int32) -> Bool { kill(pid, 0) == 0 }

    @Test(.timeLimit(.minutes(3)))
    func killedServerIsStartedAgainAndKeepsItsData() async throws {
        try await LiveServer.with("keep-running") { live in
            try await live.importDistrict()
            let port = try await CrashRecoveryTests.freePort()
            live.use(port: port)
            let log = live.dir.appendingPathComponent("keep-running.log").path
            let loop = try CleanChild("/bin/sh", [Self.script(), try CrashRecoveryTests.executable().path, "serve"],
                                      env: live.environment(port: port), log: log)
            defer { loop.kill(SIGKILL); loop.reap() }
            let output = { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }
            try await Self.until(.seconds(120), "the server to answer:\n\(output())") {
                try #require(loop.isRunning, "the loop exited:\n\(output())")
                guard Self.holder(live) != nil else { return false }
                return (try? await live.request("GET", "/healthz", timeout: .seconds(2)))?.status == 200
            }
            let first = try #require(Self.holder(live))
            #expect(first != loop.pid, "the server runs as a child of the loop")
            let token = try await live.token("disp1")
            let blown = try await live.request("POST", "/api/v1/whistles", token: token, json: [
                "title": "井盖缺失", "description": "路口井盖缺失", "address": "幸福路9号", "kind": "rally",
                "reason": "noAuthority", "responders": [["unitId": try await live.unitID("AG-UM-S1")]]])
            try #require(blown.status == 201, "\(blown.body)")
            let whistle = try #require(blown.json["id"] as? String)

            // Crash it: the loop starts it again, on the same data.
            kill(first, SIGKILL)
            try await Self.until(.seconds(60), "the server to be started again:\n\(output())") {
                guard let pid = Self.holder(live), pid != first, Self.alive(pid) else { return false }
                return (try? await live.request("GET", "/healthz", timeout: .seconds(2)))?.status == 200
            }
            let restarted = try #require(Self.holder(live))
            #expect(loop.isRunning)
            #expect(output().contains("restarting"), "\(output())")
            // Same data, same session (tokens live in the database).
            let shown = try await live.request("GET", "/api/v1/whistles/\(whistle)", token: token)
            #expect(shown.status == 200, "\(shown.body)")

            // SIGTERM stops the loop and the server with it; nothing is started again.
            loop.kill(SIGTERM)
            try await Self.until(.seconds(40), "the loop to stop on SIGTERM:\n\(output())") { !loop.isRunning }
            #expect(loop.exitStatus == 0)
            try await Self.until(.seconds(10), "the server to stop with the loop") { !Self.alive(restarted) }
        }
    }

    static func until(_ timeout: Duration, _ what: @autoclosure () -> String, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw CrashRecoveryTests.Failure("timed out waiting for \(what())") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}

/// A child process started as a service manager or a terminal would start it: no signal
/// blocked or ignored (a test runner's threads block some, and Foundation's `Process` passes
/// that mask on, so a shell under it would never see SIGTERM).
final class CleanChild: @unchecked Sendable {
    let pid: pid_t
    private var status: Int32?

    init(_ path: String, _ arguments: [String], env: [String: String], log: String) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var defaults = sigset_t()
        sigfillset(&defaults)
        sigdelset(&defaults, SIGKILL)
        sigdelset(&defaults, SIGSTOP)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, path, &actions, &attributes, argv, envp)
        guard result == 0 else { throw CrashRecoveryTests.Failure("posix_spawn \(path): \(String(cString: strerror(result)))") }
        pid = child
    }

    var isRunning: Bool {
        if status != nil { return false }
        var raw: Int32 = 0
        if waitpid(pid, &raw, WNOHANG) == pid { status = raw; return false }
        return true
    }

    /// The exit code when it exited normally.
    var exitStatus: Int32? {
        guard !isRunning, let status, status & 0x7f == 0 else { return nil }
        return (status >> 8) & 0xff
    }

    func kill(_ signal: Int32) { if isRunning { _ = Glibc.kill(pid, signal) } }

    func reap() {
        guard status == nil else { return }
        var raw: Int32 = 0
        if waitpid(pid, &raw, 0) == pid { status = raw }
    }
}
