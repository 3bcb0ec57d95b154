import Plot
import Vapor
import WhistleCore

/// What a refused form keeps: the values typed, and the error, shown next to the field it
/// names (or above the form when it names none of the fields shown).
struct FormState {
    var values: [String: String] = [:]
    var error: WhistleError?

    static let blank = FormState()

    /// The named fields as the person typed them (trimmed), for drawing the form again.
    static func typed(_ req: Request, _ names: [String]) -> FormState {
        FormState(values: Dictionary(uniqueKeysWithValues: names.map { ($0, req.field($0) ?? "") }))
    }

    func value(_ name: String) -> String? { values[name].flatMap { $0.isEmpty ? nil : $0 } }

    /// The error when it belongs to `name` (errors about `lat` and `lon` belong to the location).
    func problem(_ name: String) -> WhistleError? {
        guard let error, let field = error.field else { return nil }
        return field == name ? error : nil
    }
}

extension Bits {
    /// A labelled field that shows its own error underneath, in the page's language, and tells
    /// assistive technology which message describes it.
    static func field(_ c: PageContext, _ label: String, name: String, form: FormState,
                      @ComponentBuilder _ control: () -> Component) -> Component {
        let problem = form.problem(name)
        return tag("label", [.cls(problem == nil ? "field" : "field invalid"), .data("field", name)]) {
            tag("span", [.cls("label")], text: label)
            control()
            if let problem {
                tag("span", [.cls("field-error"), .id("error-" + name), .a("role", "alert")], text: problem.problem(c.lang))
            }
        }
    }

    /// The error above a form when none of its `shown` fields carries it.
    static func formError(_ c: PageContext, _ form: FormState, shown: [String]) -> Component {
        guard let error = form.error, !(error.field.map(shown.contains) ?? false) else { return group([]) }
        return tag("div", [.cls("card error"), .a("role", "alert"), .data("code", error.code)]) {
            tag("p", [.cls("message")], text: error.message(c.lang))
        }
    }
}
