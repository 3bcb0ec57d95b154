import Foundation
import WhistleCore
import WhistleStore

typealias DemoAction = (DemoHistory) async throws -> Void

/// One scheduled step: when, in which order among equal instants, and what, run with the
/// executing lane's history (its own clock, dice and services).
struct DemoEntry: @unchecked Sendable {
    let at: Date
    let origin: Int
    let seq: Int
    let label: String
    let action: DemoAction

    func before(_ other: DemoEntry) -> Bool {
        at < other.at || (at == other.at && (origin, seq) < (other.origin, other.seq))
    }
}

/// Runs part of the year as a discrete-event simulation: every step of every case is an
/// entry at an instant; entries run in time order with the lane's manual clock set to their
/// instant, and anything due after "now" never happens (so recent work stays open).
///
/// Lane 0, the intake, takes every step that draws a number (receiving an appeal, blowing
/// a whistle), so numbers follow time. The other lanes run the rest of each case (triage,
/// handling, responders' steps, verification, ratings, callbacks), cases spread over them;
/// a lane only waits for the intake to have passed the instant it is about to run, because
/// only numbered steps hand cases over.
final class DemoScheduler {
    private var queue = DemoHeap<DemoEntry> { $0.before($1) }
    private var seq = 0
    private let clock: ManualClock
    let lane: Int
    private let hub: DemoHub
    let end: Date
    /// Steps that threw, with the error: the demo carries on without them.
    private(set) var failures: [String] = []
    private(set) var executed = 0

    init(clock: ManualClock, end: Date, lane: Int, hub: DemoHub) {
        self.clock = clock
        self.end = end
        self.lane = lane
        self.hub = hub
    }

    /// Schedules a step of a case living in lane `lane` (numbered steps always go to the
    /// intake); an instant in the past means "right after the current step".
    func at(_ date: Date, _ label: String, lane target: Int, numbered: Bool = false, _ action: @escaping DemoAction) {
        let when = max(date, clock.now().addingTimeInterval(1))
        guard when <= end else { return }
        seq += 1
        let entry = DemoEntry(at: when, origin: lane, seq: seq, label: label, action: action)
        let destination = numbered ? 0 : target
        if destination == lane {
            queue.push(entry)
        } else if destination == 0 {
            failures.append("\(label): a numbered step can only be scheduled by the intake")
        } else {
            hub.hand(entry, to: destination)
        }
    }

    func run(_ history: DemoHistory) async {
        if lane == 0 {
            while let entry = queue.pop(), entry.at <= end {
                hub.advance(to: entry.at)
                await execute(entry, history)
            }
            hub.advance(to: .distantFuture)
        } else {
            while true {
                let (watermark, incoming) = hub.take(lane)
                for entry in incoming { queue.push(entry) }
                if let next = queue.first, next.at <= watermark {
                    guard next.at <= end else { break }
                    await execute(queue.pop()!, history)
                } else if watermark == .distantFuture {
                    break
                } else {
                    await hub.wait(lane, past: watermark)
                }
            }
        }
        clock.set(end)
    }

    private func execute(_ entry: DemoEntry, _ history: DemoHistory) async {
        if entry.at > clock.now() { clock.set(entry.at) }
        do {
            try await entry.action(history)
            executed += 1
        } catch {
            failures.append("\(entry.label) at \(iso(entry.at)): \(error)")
        }
    }
}

/// Where the intake hands steps to the other lanes, and how far it has got: every step
/// it will still hand over lies after its watermark.
final class DemoHub: @unchecked Sendable {
    private let lock = NSLock()
    private var watermark = Date.distantPast
    private var inboxes: [[DemoEntry]]
    private var waiters: [Int: CheckedContinuation<Void, Never>] = [:]

    init(lanes: Int) { inboxes = Array(repeating: [], count: lanes) }

    func hand(_ entry: DemoEntry, to lane: Int) {
        let waiter: CheckedContinuation<Void, Never>? = lock.withLock {
            inboxes[lane].append(entry)
            return waiters.removeValue(forKey: lane)
        }
        waiter?.resume()
    }

    func advance(to date: Date) {
        let ready: [CheckedContinuation<Void, Never>] = lock.withLock {
            watermark = date
            defer { waiters.removeAll() }
            return Array(waiters.values)
        }
        for waiter in ready { waiter.resume() }
    }

    /// The watermark and everything handed to the lane so far.
    func take(_ lane: Int) -> (Date, [DemoEntry]) {
        lock.withLock {
            defer { inboxes[lane].removeAll() }
            return (watermark, inboxes[lane])
        }
    }

    /// Waits until the watermark moves past `mark` or something is handed over.
    func wait(_ lane: Int, past mark: Date) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let go: Bool = lock.withLock {
                if watermark > mark || !inboxes[lane].isEmpty { return true }
                waiters[lane] = continuation
                return false
            }
            if go { continuation.resume() }
        }
    }
}

/// A binary min-heap.
struct DemoHeap<Element> {
    private var items: [Element] = []
    private let less: (Element, Element) -> Bool

    init(by less: @escaping (Element, Element) -> Bool) { self.less = less }

    var first: Element? { items.first }

    mutating func push(_ element: Element) {
        items.append(element)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard less(items[i], items[parent]) else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> Element? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var best = i
            if l < items.count && less(items[l], items[best]) { best = l }
            if r < items.count && less(items[r], items[best]) { best = r }
            if best == i { break }
            items.swapAt(i, best)
            i = best
        }
        return top
    }
}

/// Counts across lanes (for progress lines).
final class DemoCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func increment() -> Int { lock.withLock { value += 1; return value } }
}

/// Working-time arithmetic in the demo's time zone.
struct DemoTime {
    let calendar: WorkCalendar
    private let gregorian: Calendar

    init(calendar: WorkCalendar) {
        self.calendar = calendar
        var g = Calendar(identifier: .gregorian)
        g.timeZone = calendar.timeZone
        gregorian = g
    }

    func minuteOfDay(_ date: Date) -> Int {
        let c = gregorian.dateComponents([.hour, .minute], from: date)
        return (c.hour ?? 0) * 60 + (c.minute ?? 0)
    }

    func month(_ date: Date) -> Int { gregorian.component(.month, from: date) }

    func startOfDay(_ date: Date) -> Date { gregorian.startOfDay(for: date) }

    func isWorkingTime(_ date: Date) -> Bool {
        guard calendar.isWorkingDay(date) else { return false }
        let m = minuteOfDay(date)
        return calendar.periods.contains { m >= $0.start && m < $0.end }
    }

    /// The instant itself if it is working time, else the start of the next working period
    /// plus a little (staff get to it in the morning).
    func staff(_ date: Date, dice: DemoDice) -> Date {
        if isWorkingTime(date) { return date }
        var day = startOfDay(date)
        for _ in 0..<30 {
            if calendar.isWorkingDay(day) {
                for period in calendar.periods {
                    let start = day.addingTimeInterval(Double(period.start * 60))
                    if start > date { return start.addingTimeInterval(dice.minutes(2, 50)) }
                }
            }
            day = gregorian.date(byAdding: .day, value: 1, to: day)!
        }
        return date
    }

    /// An instant inside [from, deadline) when `onTime`, else past the deadline; for
    /// working-time clocks the on-time instant is moved into working hours when that keeps
    /// it on time.
    func towards(_ deadline: Date, from: Date, onTime: Bool, dice: DemoDice, working: Bool,
                 low: Double = 0.1, high: Double = 0.9) -> Date {
        let span = max(60, deadline.timeIntervalSince(from))
        if onTime {
            let raw = from.addingTimeInterval(span * dice.uniform(low, high))
            guard working else { return raw }
            let moved = staff(raw, dice: dice)
            return moved < deadline ? moved : raw
        }
        let late = deadline.addingTimeInterval(span * dice.uniform(0.08, 0.7) + dice.minutes(5, 90))
        return working ? staff(late, dice: dice) : late
    }
}
