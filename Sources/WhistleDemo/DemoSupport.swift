import Foundation
import WhistleCore

/// "2026-03-02T01:00:00Z" (`iso8601` in Core), as the demo's reports and event details write it.
func iso(_ date: Date) -> String { iso8601(date) }
