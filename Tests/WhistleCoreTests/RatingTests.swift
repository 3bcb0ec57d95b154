import Testing
@testable import WhistleCore

/// 一哨一考: one rating per verified task of a closed whistle.
struct RatingTests {
    @Test(arguments: WhistleState.allCases, TaskState.allCases)
    func check(whistle: WhistleState, task: TaskState) throws {
        for alreadyRated in [false, true] {
            if whistle != .closed {
                let error = #expect(throws: WhistleError.self) {
                    try Rating.check(whistle: whistle, task: task, alreadyRated: alreadyRated)
                }
                #expect(error?.code == "rating.whistle_not_closed")
                #expect(error?.category == .conflict)
            } else if task != .verified {
                let error = #expect(throws: WhistleError.self) {
                    try Rating.check(whistle: whistle, task: task, alreadyRated: alreadyRated)
                }
                #expect(error?.code == "task.illegal_transition")
                #expect(error?.params == ["state": task.rawValue, "action": "rate"])
            } else if alreadyRated {
                let error = #expect(throws: WhistleError.self) {
                    try Rating.check(whistle: whistle, task: task, alreadyRated: true)
                }
                #expect(error?.code == "rating.already_rated")
                #expect(error?.category == .conflict)
            } else {
                try Rating.check(whistle: whistle, task: task, alreadyRated: false)
            }
        }
    }

    @Test func rateBeforeCloseNamesTheWhistle() {
        let error = #expect(throws: WhistleError.self) {
            try Rating.check(whistle: .completed, task: .verified, alreadyRated: false)
        }
        #expect(error?.code == "rating.whistle_not_closed")
    }

    @Test func ratingTwiceIsRefused() throws {
        try Rating.check(whistle: .closed, task: .verified, alreadyRated: false)
        let error = #expect(throws: WhistleError.self) {
            try Rating.check(whistle: .closed, task: .verified, alreadyRated: true)
        }
        #expect(error?.code == "rating.already_rated")
    }

    /// What the case page offers (`allowed`) is exactly what the command takes (`check`), and
    /// the whistle's steps likewise (`WhistleState.allows` and `check`).
    @Test func whatIsOfferedIsWhatIsTaken() {
        for whistle in WhistleState.allCases {
            for task in TaskState.allCases {
                for rated in [false, true] {
                    let taken = (try? Rating.check(whistle: whistle, task: task, alreadyRated: rated)) != nil
                    #expect(Rating.allowed(whistle: whistle, task: task, alreadyRated: rated) == taken)
                    #expect(taken == (whistle == .closed && task == .verified && !rated))
                }
            }
            for action in WhistleAction.allCases {
                #expect(whistle.allows(action) == ((try? whistle.check(action)) != nil), "\(whistle) \(action)")
            }
        }
    }
}
