import Vapor

/// The pages' only assets, served by Whistle itself: one style sheet, one small script.
/// Fonts are the system's (Noto CJK on the test machine); nothing is fetched from outside.
enum Assets {
    static func css(_ req: Request) -> Response { serve(Self.style + Self.phoneStyle, type: "css") }
    static func js(_ req: Request) -> Response { serve(Self.script + Self.offlineScript, type: "javascript") }

    /// A text asset with its type and a five-minute cache (`DeskAssets` serves through it too).
    static func serve(_ text: String, type: String) -> Response {
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.contentType = HTTPMediaType(type: "text", subType: type, parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=300")
        return response
    }

    static let style = """
    :root{--ink:#1d2430;--muted:#5b6575;--line:#d9dee6;--bg:#f5f7fa;--card:#fff;--red:#c62828;--amber:#b26a00;--green:#2e7d32;--blue:#1f5fae}
    *{box-sizing:border-box}
    html{font-family:"Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;color:var(--ink);background:var(--bg);-webkit-text-size-adjust:100%}
    body{margin:0;font-size:16px;line-height:1.5}
    a{color:var(--blue)}
    .top{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem .8rem;padding:.5rem .8rem;background:#b71c1c;color:#fff}
    .top a{color:#fff;text-decoration:none}
    .brand{font-weight:700;font-size:1.1rem}
    .nav{display:flex;flex-wrap:wrap;gap:.2rem .7rem;flex:1 1 auto}
    .nav a{padding:.2rem .1rem;border-bottom:2px solid transparent}.nav a.on{border-color:#fff}
    .who{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem;font-size:.9rem}
    .who select{max-width:12rem;font-size:.85rem}
    .lang a{font-size:.85rem;opacity:.9}
    main{padding:.8rem;max-width:1200px;margin:0 auto}
    .foot{padding:1rem;color:var(--muted);font-size:.85rem;text-align:center}
    h1{font-size:1.35rem;margin:.3rem 0 .8rem}h2{font-size:1.1rem;margin:1rem 0 .5rem}
    .card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.8rem;margin:0 0 .8rem}
    .grid2{display:grid;gap:.8rem}.grid3{display:grid;gap:.8rem}
    @media(min-width:760px){.grid2{grid-template-columns:1fr 1fr}.grid3{grid-template-columns:repeat(3,1fr)}main{padding:1rem 1.2rem}}
    .field{display:block;margin:0 0 .7rem}.field .label{display:block;font-size:.9rem;color:var(--muted);margin-bottom:.2rem}
    input[type=text],input[type=password],input[type=search],input[type=tel],input[type=datetime-local],input[type=number],select,textarea{width:100%;padding:.55rem;border:1px solid var(--line);border-radius:6px;font:inherit;background:#fff}
    textarea{min-height:5rem}
    input[type=file]{max-width:100%}
    button,.button{display:inline-block;padding:.6rem 1rem;border-radius:6px;border:1px solid var(--line);background:#fff;font:inherit;cursor:pointer;color:var(--ink);text-decoration:none;min-height:44px}
    button.primary,.button.primary{background:#b71c1c;color:#fff;border-color:#b71c1c}
    button.good{background:var(--green);color:#fff;border-color:var(--green)}
    button.small{padding:.2rem .5rem;min-height:0;font-size:.85rem}
    button.link{background:none;border:0;color:inherit;text-decoration:underline;padding:0;min-height:0}
    form.inline{display:inline}
    .actions{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0}
    .actions form{margin:0}
    table{width:100%;border-collapse:collapse;background:#fff}
    th,td{text-align:left;padding:.45rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
    th{font-size:.85rem;color:var(--muted);font-weight:600}
    .list{list-style:none;margin:0;padding:0}
    .list>li{background:#fff;border:1px solid var(--line);border-radius:8px;padding:.7rem;margin-bottom:.6rem}
    .row{display:flex;flex-wrap:wrap;gap:.3rem .8rem;align-items:baseline}
    .muted{color:var(--muted);font-size:.9rem}
    .badge{display:inline-block;padding:.05rem .45rem;border-radius:999px;font-size:.8rem;border:1px solid currentColor}
    .b-red{color:var(--red)}.b-amber{color:var(--amber)}.b-green{color:var(--green)}.b-blue{color:var(--blue)}.b-grey{color:var(--muted)}
    .clock{font-variant-numeric:tabular-nums;font-weight:600}.clock.late{color:var(--red)}.clock.ok{color:var(--green)}
    .countdown{color:var(--amber)}.countdown.late{color:var(--red)}
    .timeline{list-style:none;padding:0;margin:0;border-left:3px solid var(--line)}
    .timeline li{padding:.2rem .6rem;margin-left:.3rem}
    .error{border-color:var(--red);background:#fff5f5}
    .notice{border-color:var(--green);background:#f3fbf3}
    .empty{color:var(--muted)}
    .filters{display:grid;gap:.5rem;grid-template-columns:1fr 1fr}
    @media(min-width:760px){.filters{grid-template-columns:2fr 1fr 1fr 1fr auto}}
    .kpis{display:grid;grid-template-columns:repeat(2,1fr);gap:.6rem}
    @media(min-width:760px){.kpis{grid-template-columns:repeat(4,1fr)}}
    .kpi{background:#fff;border:1px solid var(--line);border-radius:8px;padding:.6rem}.kpi b{display:block;font-size:1.4rem}
    .scroll{overflow-x:auto}
    svg text{font-family:inherit}
    .mapcell{stroke:#fff;stroke-width:2}
    .tracking{font-size:1.6rem;font-weight:700;letter-spacing:.1em}
    .live-dot{display:none;color:var(--green);font-size:.8rem}.is-live .live-dot{display:inline}
    .feed{max-height:22rem;overflow:auto}
    .check{display:flex;gap:.4rem;align-items:flex-start;margin:.3rem 0}
    dl.facts{display:grid;grid-template-columns:auto 1fr;gap:.15rem .8rem;margin:.3rem 0}dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
    .desc{white-space:pre-wrap;word-break:break-word}
    """

    static let script = """
    (function(){
      'use strict';
      var body=document.body, serverNow=Date.parse(body.getAttribute('data-now')||''), loaded=Date.now();
      function now(){return isNaN(serverNow)?Date.now():serverNow+(Date.now()-loaded);}
      function pad(n){return (n<10?'0':'')+n;}
      function span(sec,zh){sec=Math.abs(Math.round(sec));var d=Math.floor(sec/86400),h=Math.floor(sec%86400/3600),m=Math.floor(sec%3600/60),s=sec%60;
        if(zh){if(d>0)return d+'天'+h+'小时';if(h>0)return h+'小时'+pad(m)+'分';return m+'分'+pad(s)+'秒';}
        if(d>0)return d+'d '+h+'h';if(h>0)return h+'h '+pad(m)+'m';return m+'m '+pad(s)+'s';}
      function tick(){var list=document.querySelectorAll('[data-due]');for(var i=0;i<list.length;i++){var el=list[i],zh=el.getAttribute('data-zh')==='1';
        var left=(Date.parse(el.getAttribute('data-due'))-now())/1000;
        el.textContent=left<0?(zh?'超时 ':'overdue ')+span(left,zh):(zh?'剩 ':'left ')+span(left,zh);
        el.classList.toggle('late',left<0);}}
      setInterval(tick,1000);tick();
      document.addEventListener('change',function(e){var t=e.target;if(t&&t.getAttribute&&t.getAttribute('data-autosubmit')&&t.form){t.form.submit();}});
      // Location: forms marked data-geo fill their lat/lon fields from the phone before sending.
      document.addEventListener('submit',function(e){var f=e.target;if(!f.hasAttribute||!f.hasAttribute('data-geo')||f.getAttribute('data-geo-done'))return;
        if(!navigator.geolocation)return;e.preventDefault();var sent=false;
        function go(){if(sent)return;sent=true;f.setAttribute('data-geo-done','1');if(f.requestSubmit){f.requestSubmit(e.submitter||undefined);}else{f.submit();}}
        navigator.geolocation.getCurrentPosition(function(p){var la=f.querySelector('[name=lat]'),lo=f.querySelector('[name=lon]');
          if(la&&!la.value)la.value=p.coords.latitude.toFixed(6);if(lo&&!lo.value)lo.value=p.coords.longitude.toFixed(6);go();},go,{timeout:3000,maximumAge:60000});
        setTimeout(go,3500);},true);
      // Live: follow the page's event stream and redraw the main area when something happens.
      var live=body.getAttribute('data-live');
      if(live&&window.EventSource&&window.fetch){var pending=null,busy=false;
        function refresh(){pending=null;if(busy){pending=setTimeout(refresh,300);return;}var a=document.activeElement;
          if(a&&(a.tagName==='TEXTAREA'||(a.tagName==='INPUT'&&a.type!=='submit'))&&a.value){pending=setTimeout(refresh,2000);return;}
          busy=true;fetch(location.href,{credentials:'same-origin',headers:{'X-Live':'1'}}).then(function(r){return r.text();}).then(function(html){
            var doc=new DOMParser().parseFromString(html,'text/html'),m=doc.getElementById('main');
            if(m){document.getElementById('main').innerHTML=m.innerHTML;serverNow=Date.parse(doc.body.getAttribute('data-now')||'');loaded=Date.now();tick();
              body.setAttribute('data-refreshed',String((+body.getAttribute('data-refreshed')||0)+1));}
          }).catch(function(){}).then(function(){busy=false;});}
        var es=new EventSource(live);
        es.onopen=function(){body.classList.add('is-live');body.setAttribute('data-live-open','1');};
        es.onmessage=function(){if(!pending)pending=setTimeout(refresh,250);};
        es.onerror=function(){body.classList.remove('is-live');};}
    })();
    """
}
