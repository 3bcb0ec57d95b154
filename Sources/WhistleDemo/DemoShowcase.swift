import Foundation
import WhistleCore
import WhistleStore

/// Fixed cases in the last weeks, the same at every scale, so that the lists always hold
/// every state: fresh and overdue work, pending objections and extensions, reassigned and
/// cancelled tasks, a whistle awaiting verification, one reworked and amended, and every
/// whistle level.
extension DemoHistory {
    func ago(_ hours: Double) -> Date { end.addingTimeInterval(-hours * 3600) }

    /// A plan from offsets in hours after `base` (nil: the step does not happen).
    static func plan(_ base: Date, ack: Double? = nil, arrive: Double? = nil, progress: Double? = nil, complete: Double? = nil,
              cancel: Double? = nil) -> DemoTaskPlan {
        func at(_ h: Double?) -> Date? { h.map { base.addingTimeInterval($0 * 3600) } }
        return DemoTaskPlan(cancelAt: at(cancel), ackAt: at(ack), arriveAt: at(arrive), progressAt: at(progress), completeAt: at(complete))
    }

    func showcaseAppeal(_ street: Int, _ community: Int, item: String, channel: Channel = .hotline12345,
                        urgency: Urgency = .normal) -> DemoAppealCase {
        let st = world.streets[street]
        let c = makeCase(street: st, community: st.communities[community], channel: channel, item: world.def(item), at: now,
                         route: .local, urgency: urgency)
        c.auto = false
        return c
    }

    /// Schedules a step of the showcase at an instant: a numbered step (receiving, blowing)
    /// in the intake, the others in the case's lane.
    func show(_ date: Date, _ label: String, lane: Int = 0, numbered: Bool = false, _ body: @escaping DemoAction) {
        sched.at(date, "showcase \(label)", lane: lane, numbered: numbered, body)
    }

    func planShowcase() {
        showcaseLiuyin()
        showcaseShiqiao()
        showcaseHuayuan()
    }

    /// A fresh appeal, one awaiting its callback, a duplicate dismissed; an emergency under
    /// way; a pending objection and extension; a reassignment and a withdrawn responder; an
    /// owners' whistle closed and rated.
    private func showcaseLiuyin() {
        let fresh = showcaseAppeal(0, 1, item: "I0101")
        show(ago(0.4), "received", numbered: true) { h in try await h.receive(fresh) }

        let resolved = showcaseAppeal(0, 2, item: "I0309")
        show(ago(72), "resolved", numbered: true) { h in try await h.receive(resolved) }
        show(ago(71), "resolved", lane: resolved.lane) { h in try await h.handle(resolved, by: resolved.grid) }
        show(ago(3), "resolved", lane: resolved.lane) { h in try await h.completeLocally(resolved) }

        let duplicate = showcaseAppeal(0, 1, item: "I0101", channel: .citizenOnline)
        show(ago(48), "dismissed", numbered: true) { h in try await h.receive(duplicate) }
        show(ago(47.3), "dismissed", lane: duplicate.lane) { h in
            _ = try await h.s.dismiss(duplicate.id!, reason: "重复诉求，已与此前工单合并办理", by: duplicate.street.dispatcher)
        }

        // An emergency under way: one responder on site, one on the way, one not yet reported.
        let gas = showcaseAppeal(0, 0, item: "I0302", urgency: .emergency)
        show(ago(0.95), "emergency", numbered: true) { h in try await h.receive(gas) }
        show(ago(0.85), "emergency", numbered: true) { h in
            let b = h.now
            try await h.blowOnAppeal(gas, kind: .emergency, plans: [
                { _, _ in Self.plan(b, ack: 0.05, arrive: 0.3, progress: 0.5) },
                { _, _ in Self.plan(b, ack: 0.12) },
                { _, _ in Self.plan(b) },
            ])
        }

        // A pending objection, a pending extension and a lead that has completed.
        let passage = showcaseAppeal(0, 3, item: "I0303")
        show(ago(22), "objection", numbered: true) { h in try await h.receive(passage) }
        show(ago(20), "objection", numbered: true) { h in
            let b = h.now
            try await h.blowOnAppeal(passage, kind: .rally, plans: [
                { _, _ in Self.plan(b, ack: 0.5, arrive: 3, complete: 17) },
                { _, _ in DemoTaskPlan(objectAt: b.addingTimeInterval(3600)) },
                { _, task in
                    var p = Self.plan(b, ack: 0.4, arrive: 2)
                    p.extensionAt = b.addingTimeInterval(14 * 3600)
                    p.extensionUntil = task.deadlines.completeBy.addingTimeInterval(5 * 86_400)
                    return p
                },
            ])
        }

        // Joint action: an objection upheld and reassigned, a responder withdrawn.
        show(ago(4 * 24), "reassign", numbered: true) { h in
            let b = h.now
            let street = h.world.streets[0]
            let target = h.world.streetResponder(function: "urban-management", street: street)!
            try await h.blowCampaign(street: street, kind: .jointAction, itemCode: "I0106", plans: [
                { _, _ in Self.plan(b, ack: 0.3, arrive: 2, progress: 40) },
                { t, _ in
                    t.replacementPlan = { _, _ in Self.plan(b, ack: 3.5) }
                    return DemoTaskPlan(objectAt: b.addingTimeInterval(1800), decideAt: b.addingTimeInterval(3 * 3600), reassignTo: target)
                },
                { _, _ in Self.plan(b, cancel: 1) },
            ])
        }

        show(ago(15 * 24), "owners", numbered: true) { h in
            let b = h.now
            try await h.blowEstate(level: .owners, community: "yangliu", plans: [{ _, _ in Self.plan(b, ack: 1, arrive: 3, complete: 72) }])
        }
    }

    /// An appeal being handled, one reopened after a dissatisfied callback and closed; a whistle
    /// closed after extensions, an overruled objection and a rework, rated and amended; a
    /// property company's whistle awaiting verification; a party branch's whistle open.
    private func showcaseShiqiao() {
        let handling = showcaseAppeal(1, 0, item: "I0406")
        show(ago(26), "handling", numbered: true) { h in try await h.receive(handling) }
        show(ago(25), "handling", lane: handling.lane) { h in try await h.handle(handling, by: handling.street.sections["urban-management"]!) }

        let reopened = showcaseAppeal(1, 2, item: "I0401")
        show(ago(20 * 24), "reopened", numbered: true) { h in try await h.receive(reopened) }
        show(ago(20 * 24 - 1), "reopened", lane: reopened.lane) { h in try await h.handle(reopened, by: reopened.community.unit) }
        show(ago(18 * 24), "reopened", lane: reopened.lane) { h in try await h.completeLocally(reopened) }
        show(ago(17 * 24), "reopened", lane: reopened.lane) { h in try await h.callback(reopened, .dissatisfied, reopen: true) }
        show(ago(17 * 24 - 2), "reopened", lane: reopened.lane) { h in
            reopened.reopened = true
            try await h.handle(reopened, by: reopened.street.sections["urban-management"]!)
        }
        show(ago(15 * 24), "reopened", lane: reopened.lane) { h in try await h.completeLocally(reopened) }
        show(ago(14 * 24), "reopened", lane: reopened.lane) { h in try await h.callback(reopened, .satisfied, reopen: false) }

        let fumes = showcaseAppeal(1, 1, item: "I0401")
        show(ago(30 * 24), "closed", numbered: true) { h in try await h.receive(fumes) }
        show(ago(30 * 24 - 1), "closed", numbered: true) { h in
            let b = h.now
            fumes.auto = true
            let w = try await h.blowOnAppeal(fumes, kind: .supervision, plans: [
                { _, task in
                    var p = Self.plan(b, ack: 0.5, arrive: 3)
                    p.extensionAt = b.addingTimeInterval(48 * 3600)
                    p.extensionUntil = task.deadlines.completeBy.addingTimeInterval(7 * 86_400)
                    p.extensionDecideAt = b.addingTimeInterval(51 * 3600)
                    p.completeAt = task.deadlines.completeBy.addingTimeInterval(3 * 86_400)
                    return p
                },
                { _, task in
                    var p = Self.plan(b, ack: 2.5, arrive: 5)
                    p.objectAt = b.addingTimeInterval(1200)
                    p.decideAt = b.addingTimeInterval(2 * 3600)
                    p.extensionAt = b.addingTimeInterval(49 * 3600)
                    p.extensionUntil = task.deadlines.completeBy.addingTimeInterval(5 * 86_400)
                    p.extensionDecideAt = b.addingTimeInterval(53 * 3600)
                    p.extensionGrant = false
                    p.completeAt = task.deadlines.completeBy.addingTimeInterval(2 * 86_400)
                    return p
                },
                { _, _ in Self.plan(b, ack: 1, arrive: 4, complete: 96) },
            ])
            w.reworkPlanned = true
            w.amendPlanned = true
        }

        show(ago(48), "property", numbered: true) { h in
            let b = h.now
            let w = try await h.blowEstate(level: .propertyCompany, community: "jinyu",
                                         plans: [{ _, _ in Self.plan(b, ack: 1, arrive: 2, complete: 24) }])
            w.autoClose = false
        }
        show(ago(24), "party", numbered: true) { h in
            let b = h.now
            try await h.blowParty(community: "nanhu", plans: [{ _, _ in Self.plan(b, ack: 1) }, { _, _ in Self.plan(b) }])
        }
    }

    /// An overdue appeal still being handled; a whistle everyone has completed that the
    /// street has not verified yet; a joint enforcement on site with weeks to go; a
    /// community's whistle under way.
    private func showcaseHuayuan() {
        let overdue = showcaseAppeal(2, 2, item: "I0108", channel: .gridWorker)
        show(ago(12 * 24), "overdue", numbered: true) { h in try await h.receive(overdue) }
        show(ago(12 * 24 - 2), "overdue", lane: overdue.lane) { h in try await h.handle(overdue, by: overdue.community.unit) }

        let flood = showcaseAppeal(2, 0, item: "I0308", urgency: .urgent)
        show(ago(72), "completed", numbered: true) { h in try await h.receive(flood) }
        show(ago(71.5), "completed", numbered: true) { h in
            let b = h.now
            try await h.blowOnAppeal(flood, kind: .rally, autoClose: false, plans: [
                { _, _ in Self.plan(b, ack: 0.3, arrive: 1.5, complete: 40) },
                { _, _ in Self.plan(b, ack: 0.4, arrive: 1.8, complete: 60) },
                { _, _ in Self.plan(b, ack: 0.45, arrive: 1.9, complete: 66) },
            ])
        }

        // A joint enforcement under way, everyone on site, its deadline weeks ahead.
        show(ago(5), "on site", numbered: true) { h in
            let b = h.now
            try await h.blowCampaign(street: h.world.streets[2], kind: .jointAction, itemCode: "I0102", plans: [
                { _, _ in Self.plan(b, ack: 0.4, arrive: 2) },
                { _, _ in Self.plan(b, ack: 0.6, arrive: 2.5, progress: 4) },
            ])
        }

        show(ago(48), "community", numbered: true) { h in
            let b = h.now
            try await h.blowCommunity(street: h.world.streets[2], plans: [
                { _, _ in Self.plan(b, ack: 1, arrive: 4) },
                { _, _ in Self.plan(b, ack: 2) },
            ])
        }
    }
}
