import Vapor
import WhistleStore

struct PageDTO<T: Content>: Content {
    var items: [T]
    var page: Int
    var per: Int
    var total: Int

    init<M>(_ page: Page<M>, map: (M) throws -> T) rethrows {
        items = try page.items.map(map)
        self.page = page.page
        per = page.per
        total = page.total
    }
}
