import Vapor
import WhistleCore
import WhistleStore

/// Photos are uploaded as the raw body (image/jpeg, image/png or image/webp) and referred
/// to by their SHA-256 afterwards.
enum PhotoController {
    struct PhotoDTO: Content { var id: String; var contentType: String; var size: Int }

    static func upload(_ req: Request) async throws -> Response {
        let data = Data(buffer: req.body.data ?? ByteBuffer())
        let photo = try await req.whistle.storePhoto(data, contentType: req.headers.contentType?.serialize() ?? "")
        return try await PhotoDTO(id: photo.hash, contentType: photo.contentType, size: photo.size)
            .encodeResponse(status: .created, for: req)
    }

    static func download(_ req: Request) async throws -> Response {
        let hash = req.parameters.get("hash") ?? ""
        guard hash.count == 64, hash.allSatisfy(\.isHexDigit),
              let photo = try await req.whistle.photo(hash) else {
            throw WhistleError.notFound("photo", hash)
        }
        try await req.whistle.requirePhotoVisible(hash, by: try req.requireActor())
        let response = try await req.fileio.asyncStreamFile(at: req.whistle.photoPath(hash))
        response.headers.contentType = HTTPMediaType(type: "image", subType: String(photo.contentType.dropFirst(6)))
        // private: the answer depends on who asks.
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=31536000, immutable")
        return response
    }
}
