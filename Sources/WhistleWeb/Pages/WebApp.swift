import Foundation
import Vapor

/// The installable web app for field staff: the manifest (`/manifest.webmanifest`, "吹哨报到"),
/// its icons (an SVG and PNGs drawn here, nothing fetched) and the service worker (`/sw.js`,
/// root scope). The worker keeps the style sheet, script and icons, keeps the field pages a
/// person opened (quick report, inbox, task pages) for use without a connection, and keeps a
/// field form whose post fails on the network in the offline queue (`Assets.queueStore`),
/// answering a page that says so. It fetches nothing but this server.
enum WebApp {
    static func manifest(_ req: Request) -> Response {
        let body = """
        {"name":"吹哨报到","short_name":"吹哨报到","description":"街乡吹哨、部门报到 · Whistle",
         "lang":"zh-CN","start_url":"/home","scope":"/","display":"standalone",
         "background_color":"#f5f7fa","theme_color":"#b71c1c",
         "icons":[{"src":"/assets/icon.svg","sizes":"any","type":"image/svg+xml","purpose":"any"},
                  {"src":"/assets/icon-192.png","sizes":"192x192","type":"image/png"},
                  {"src":"/assets/icon-512.png","sizes":"512x512","type":"image/png"}]}
        """
        return serve(Data(body.utf8), type: HTTPMediaType(type: "application", subType: "manifest+json", parameters: ["charset": "utf-8"]))
    }

    static func serviceWorker(_ req: Request) -> Response {
        let response = serve(Data((Assets.queueStore + worker).utf8),
                             type: HTTPMediaType(type: "text", subType: "javascript", parameters: ["charset": "utf-8"]))
        // The browser checks for a new worker on every visit.
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-cache")
        return response
    }

    static func iconSVG(_ req: Request) -> Response {
        serve(Data(svg.utf8), type: HTTPMediaType(type: "image", subType: "svg+xml"))
    }

    static func icon192(_ req: Request) -> Response { serve(png192, type: .png) }
    static func icon512(_ req: Request) -> Response { serve(png512, type: .png) }

    private static func serve(_ data: Data, type: HTTPMediaType) -> Response {
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.contentType = type
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=300")
        return response
    }

    static let svg = """
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><rect width="512" height="512" rx="96" fill="#b71c1c"/>\
    <circle cx="256" cy="256" r="150" fill="none" stroke="#fff" stroke-width="44"/><circle cx="256" cy="256" r="52" fill="#fff"/></svg>
    """

    static let png192 = IconPNG.draw(size: 192)
    static let png512 = IconPNG.draw(size: 512)

    /// The service worker. Pages kept: only these field pages, network first; assets: cache
    /// first, refreshed behind.
    static let worker = """
    var ASSETS='whistle-assets-v1',PAGES='whistle-pages',SHELL=['/assets/site.css','/assets/site.js','/assets/icon.svg','/manifest.webmanifest'];
    function fieldPage(p){return p==='/grid/report'||p==='/inbox'||p==='/home'||/^\\/tasks\\/[0-9A-Fa-f-]+$/.test(p);}
    function queueable(p){return p==='/grid/report'||/^\\/tasks\\/[0-9A-Fa-f-]+\\/(acknowledge|arrive|progress|complete)$/.test(p);}
    self.addEventListener('install',function(e){e.waitUntil(caches.open(ASSETS).then(function(c){return c.addAll(SHELL);}).then(function(){return self.skipWaiting();}));});
    self.addEventListener('activate',function(e){e.waitUntil(caches.keys().then(function(keys){return Promise.all(keys.filter(function(k){
      return k!==ASSETS&&k!==PAGES;}).map(function(k){return caches['delete'](k);}));}).then(function(){return self.clients.claim();}));});
    function savedPage(zh){var text=zh?'已离线保存，联网后自动发送。':'Saved offline; will send when back online.';
      return new Response('<!DOCTYPE html><html lang="'+(zh?'zh-CN':'en')+'"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'+
        '<link rel="stylesheet" href="/assets/site.css"><title>'+text+'</title></head><body><main id="main"><div class="card notice" role="status"><h1>'+text+
        '</h1><p><a class="button" href="javascript:history.back()">'+(zh?'返回':'Back')+'</a></p></div></main></body></html>',
        {status:200,headers:{'Content-Type':'text/html; charset=utf-8'}});}
    self.addEventListener('fetch',function(e){var r=e.request,u=new URL(r.url);if(u.origin!==self.location.origin)return;
      if(r.method==='GET'&&(u.pathname.indexOf('/assets/')===0||u.pathname==='/manifest.webmanifest')){
        e.respondWith(caches.open(ASSETS).then(function(c){return c.match(r).then(function(hit){
          var fresh=fetch(r).then(function(res){if(res.ok)c.put(r,res.clone());return res;});
          return hit?(fresh['catch'](function(){}),hit):fresh;});}));return;}
      if(r.method==='GET'&&r.mode==='navigate'&&fieldPage(u.pathname)){
        e.respondWith(fetch(r).then(function(res){if(res.ok){var copy=res.clone();caches.open(PAGES).then(function(c){c.put(r,copy);});}return res;},
          function(){return caches.open(PAGES).then(function(c){return c.match(r);}).then(function(hit){return hit||Response.error();});}));return;}
      if(r.method==='POST'&&r.mode==='navigate'&&queueable(u.pathname)){var copy=r.clone();
        e.respondWith(fetch(r)['catch'](function(){return copy.formData().then(function(fd){
          var label=u.pathname.indexOf('/grid/')===0?'网格快报':'任务步骤';
          return OQ.add({action:u.pathname,entries:oqEntries(fd),person:'',csrf:String(fd.get('_csrf')||''),title:oqTitle(label,fd),
            savedAt:new Date().toISOString(),state:'waiting'});}).then(function(){return savedPage(true);});}));}
    });

    """
}

/// The app icon as a PNG: the SVG's design (white ring and dot on red), one bit per pixel.
enum IconPNG {
    static func draw(size: Int) -> Data {
        let s = Double(size), center = s / 2, radius = s * 150 / 512, ring = s * 22 / 512, dot = s * 52 / 512, corner = s * 96 / 512
        var raw: [UInt8] = []
        let rowBytes = (size + 7) / 8
        raw.reserveCapacity((rowBytes + 1) * size)
        for y in 0..<size {
            raw.append(0) // filter: none
            var row = [UInt8](repeating: 0, count: rowBytes)
            for x in 0..<size {
                let px = Double(x) + 0.5, py = Double(y) + 0.5
                let d = ((px - center) * (px - center) + (py - center) * (py - center)).squareRoot()
                let white = abs(d - radius) <= ring || d <= dot
                // Outside the rounded corners: white too (palette: 0 red, 1 white).
                let cx = min(max(px, corner), s - corner), cy = min(max(py, corner), s - corner)
                let outside = ((px - cx) * (px - cx) + (py - cy) * (py - cy)).squareRoot() > corner
                if white || outside { row[x / 8] |= UInt8(0x80 >> (x % 8)) }
            }
            raw += row
        }
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        png += chunk("IHDR", be32(UInt32(size)) + be32(UInt32(size)) + [1, 3, 0, 0, 0])
        png += chunk("PLTE", [0xB7, 0x1C, 0x1C, 0xFF, 0xFF, 0xFF])
        png += chunk("IDAT", zlibStored(raw))
        png += chunk("IEND", [])
        return png
    }

    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }

    static func chunk(_ type: String, _ data: [UInt8]) -> Data {
        let body = Array(type.utf8) + data
        return Data(be32(UInt32(data.count)) + body + be32(crc32(body)))
    }

    /// zlib with stored (uncompressed) blocks: small enough for a 1-bit icon.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var i = 0
        repeat {
            let n = min(65535, data.count - i)
            let last: UInt8 = i + n >= data.count ? 1 : 0
            out += [last, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            out += data[i..<(i + n)]
            i += n
        } while i < data.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
        return out + be32(b << 16 | a)
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
