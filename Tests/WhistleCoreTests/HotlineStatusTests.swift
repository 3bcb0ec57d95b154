import Foundation
import Testing
@testable import WhistleCore

/// Which events the 12345 platform hears of, and what each tells it.
@Suite struct HotlineStatusTests {
    let district = UUID()
    let appeal = AppealID(UUID())
    let at = Date(timeIntervalSince1970: 1_772_413_200)

    func event(_ kind: EventKind, to: String? = "x", _ detail: [String: String] = [:], appeal: AppealID?? = nil) -> EventRecord {
        EventRecord(kind, districtID: district, appealID: appeal ?? self.appeal, actor: .system, at: at, to: to, detail: detail)
    }

    @Test func eachStepOfAnOrderMapsToItsStatusAndNothingElseDoes() {
        #expect(HotlineStatus.statuses(for: event(.appealReceived, ["orderNo": "BJ-1"])) == [.received])
        // A call taken at the console has no order: nothing to tell.
        #expect(HotlineStatus.statuses(for: event(.appealReceived, ["channel": "hotline12345"])).isEmpty)
        #expect(HotlineStatus.statuses(for: event(.appealDismissed)) == [.returned])
        #expect(HotlineStatus.statuses(for: event(.appealHandledLocally)) == [.dispatched])
        #expect(HotlineStatus.statuses(for: event(.appealWhistled)) == [.dispatched])
        #expect(HotlineStatus.statuses(for: event(.whistleCompleted)) == [.handled])
        #expect(HotlineStatus.statuses(for: event(.appealCompletedLocally)) == [.handled, .result])
        #expect(HotlineStatus.statuses(for: event(.appealResolved)) == [.result])
        #expect(HotlineStatus.statuses(for: event(.appealCallback)) == [.callback])
        for kind in [EventKind.taskAcknowledged, .taskArrived, .taskCompleted, .clockOverdue, .whistleBlown, .appealReopened] {
            #expect(HotlineStatus.statuses(for: event(kind)).isEmpty, "\(kind)")
        }
        // A whistle without an appeal concerns no order.
        #expect(HotlineStatus.statuses(for: event(.whistleCompleted, appeal: .some(nil))).isEmpty)
        #expect(!HotlineStatus.concerns([event(.taskArrived), event(.appealReceived)]))
        #expect(HotlineStatus.concerns([event(.taskArrived), event(.appealResolved)]))
    }

    @Test func anUpdateCarriesTheWordsThePlatformNeeds() {
        let returned = HotlineStatus.update(.returned, of: event(.appealDismissed, ["reason": "属市级事权"]), platform: "12345",
                                            orderNo: "BJ-1", sequence: 2, appealNumber: "A2026-000001")
        #expect(returned.text == "属市级事权" && returned.statusName == "退单" && returned.id == "hotline:12345:BJ-1:2")
        let result = HotlineStatus.update(.result, of: event(.appealResolved, ["result": "已劝离"]), platform: "12345", orderNo: "BJ-1",
                                          sequence: 4, appealNumber: nil)
        #expect(result.text == "已劝离" && result.sequence == 4)
        let reopened = HotlineStatus.update(.callback, of: event(.appealCallback, to: nil, ["satisfaction": "dissatisfied", "comment": ""]),
                                            platform: "12345", orderNo: "BJ-1", sequence: 5, appealNumber: nil)
        #expect(reopened.satisfaction == .dissatisfied && reopened.reopened == true && reopened.text == nil)
        let closed = HotlineStatus.update(.callback, of: event(.appealCallback, to: "closed", ["satisfaction": "satisfied"]),
                                          platform: "12345", orderNo: "BJ-1", sequence: 5, appealNumber: nil)
        #expect(closed.reopened == false)
        let dispatched = HotlineStatus.update(.dispatched, of: event(.appealHandledLocally, ["handlingUnit": "城管科"]), platform: "12345",
                                              orderNo: "BJ-1", sequence: 2, appealNumber: nil)
        #expect(dispatched.text == "城管科")
        #expect(!EndpointChannel.hotline.receivesNotices && EndpointChannel.webhook.receivesNotices)
    }
}
