import Testing

/// Polls `condition` every 10 ms until it holds, recording an issue if it has not within
/// `seconds` (for what another task or thread brings about: a delivery, a sync).
func eventually(within seconds: Int = 10, _ condition: () async throws -> Bool) async throws {
    for _ in 0..<(seconds * 100) {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    Issue.record("condition not met within \(seconds) s")
}
