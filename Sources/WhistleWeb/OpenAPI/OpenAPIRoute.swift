import Crypto
import Foundation
import Vapor

/// `GET /api/v1/openapi.json`: the OpenAPI 3.1 document of the JSON API (docs/openapi.json,
/// built by scripts/generate-client and embedded in `OpenAPIDocument`). Public and cached:
/// it changes only with the binary, so an ETag of its bytes lets clients revalidate cheaply.
enum OpenAPIRoute {
    static let body = ByteBuffer(string: OpenAPIDocument.json + "\n")
    static let etag: String = {
        let digest = SHA256.hash(data: Data(OpenAPIDocument.json.utf8))
        return "\"" + digest.prefix(12).map { String(format: "%02x", $0) }.joined() + "\""
    }()

    static func document(_ req: Request) -> Response {
        if req.headers.first(name: .ifNoneMatch) == etag {
            return Response(status: .notModified, headers: ["ETag": etag])
        }
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        headers.replaceOrAdd(name: .eTag, value: etag)
        headers.replaceOrAdd(name: "Access-Control-Allow-Origin", value: "*")
        return Response(status: .ok, headers: headers, body: .init(buffer: body))
    }
}
