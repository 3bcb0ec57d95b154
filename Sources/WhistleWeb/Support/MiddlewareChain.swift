import Vapor

/// Several async middlewares run as one. Vapor runs each `AsyncMiddleware` it is given as a
/// task of its own joined to the next by an event-loop future: two thread hops per layer and
/// request. Chained here, the layers call one another directly, in the order given (the
/// first is outermost), and only the hop into the router remains.
struct MiddlewareChain: AsyncMiddleware {
    let layers: [any AsyncMiddleware]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        try await respond(request, from: 0, then: next)
    }

    private func respond(_ request: Request, from index: Int, then next: any AsyncResponder) async throws -> Response {
        guard index < layers.count else { return try await next.respond(to: request) }
        return try await layers[index].respond(to: request, chainingTo: AsyncBasicResponder { request in
            try await self.respond(request, from: index + 1, then: next)
        })
    }
}
