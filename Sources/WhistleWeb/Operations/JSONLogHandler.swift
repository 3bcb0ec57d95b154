import Foundation
import Logging

/// One JSON object per line on standard error (`WHISTLE_LOG_FORMAT=json`), for log shippers:
/// `{"ts":"…","level":"info","logger":"…","msg":"…", …metadata}`. Keys are sorted; values are
/// strings (metadata flattened with `description`).
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String

    public init(label: String, level: Logger.Level = .info) {
        self.label = label
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String,
                    file: String, function: String, line: UInt) {
        var fields: [String: String] = [:]
        for (key, value) in metadata.merging(explicit ?? [:], uniquingKeysWith: { _, new in new }) { fields[key] = "\(value)" }
        fields["ts"] = ISO8601DateFormatter().string(from: Date())
        fields["level"] = level.rawValue
        fields["logger"] = label
        fields["msg"] = message.description
        fields["source"] = source
        guard var data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        data.append(0x0A)
        FileHandle.standardError.write(data)
    }
}
