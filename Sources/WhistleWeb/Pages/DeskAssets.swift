import Vapor

/// The forms' helpers, beside `Assets`: errors next to fields, the location's visible state,
/// a photo's preview, a form that says it is sending, the blow form keeping what was typed
/// while its suggestions redraw, the responder search, the console's filters kept between
/// visits, and selecting several tasks at once. Everything works without it; it only helps.
enum DeskAssets {
    static func css(_ req: Request) -> Response { Assets.serve(style, type: "css") }
    static func js(_ req: Request) -> Response { Assets.serve(script, type: "javascript") }

    static let style = """
    .field.invalid input,.field.invalid select,.field.invalid textarea{border-color:var(--red,#c62828);background:#fff8f8}
    .field-error{display:block;color:var(--red,#c62828);font-size:.9rem;margin-top:.2rem}
    .geo-state{margin:-.3rem 0 .7rem}.geo-state.ok{color:var(--green,#2e7d32)}.geo-state.no{color:var(--amber,#b26a00)}
    .preview img{max-width:160px;max-height:160px;border-radius:6px;margin-top:.3rem;display:block}
    button[disabled]{opacity:.6;cursor:progress}
    .unit-search{margin-bottom:.4rem}
    #responders label.hidden{display:none}
    .bulk{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.5rem 0}
    .urge{border-color:var(--red,#c62828)}
    .dense>li{padding:.45rem .6rem;margin-bottom:.35rem}.dense .desc{margin:.15rem 0;display:-webkit-box;-webkit-line-clamp:1;-webkit-box-orient:vertical;overflow:hidden}
    .dense .muted{margin:0}
    .figlink{color:inherit;text-decoration:none;display:block}.figlink:hover b{text-decoration:underline}
    .home-hero{padding:1rem}.home-hero h1{font-size:1.6rem}
    .ways{display:grid;gap:.8rem}@media(min-width:760px){.ways{grid-template-columns:1fr 1fr}}
    """

    static let script = """
    (function(){
      'use strict';
      var zh=(document.body.getAttribute('data-lang')||'zh')==='zh';
      function say(el,textZh,textEn,cls){if(!el)return;el.textContent=zh?textZh:textEn;el.classList.remove('ok','no');if(cls)el.classList.add(cls);}
      // Location, asked on opening the form, with its state shown (never blocking the submit button).
      var geoForms=document.querySelectorAll('form[data-geo]');
      for(var i=0;i<geoForms.length;i++){(function(f){var st=f.querySelector('[data-geo-state]'),la=f.querySelector('[name=lat]'),lo=f.querySelector('[name=lon]');
        if(!st||!la||!lo)return;if(la.value){say(st,'位置：已定位','Location: found','ok');return;}
        if(!navigator.geolocation){say(st,'位置：此浏览器不能定位，请填写地址','Location: this browser cannot locate; give the address','no');return;}
        say(st,'位置：正在获取…','Location: finding…');
        navigator.geolocation.getCurrentPosition(function(p){la.value=p.coords.latitude.toFixed(6);lo.value=p.coords.longitude.toFixed(6);
          f.setAttribute('data-geo-done','1');say(st,'位置：已定位（误差约 '+Math.round(p.coords.accuracy)+' 米）','Location: found (within '+Math.round(p.coords.accuracy)+' m)','ok');},
          function(){f.setAttribute('data-geo-done','1');say(st,'位置：未能获取（已拒绝或无信号），只按地址办理','Location: not available (refused or no signal); the address will do','no');},
          {timeout:8000,maximumAge:60000});})(geoForms[i]);}
      // A photo's preview before sending.
      document.addEventListener('change',function(e){var t=e.target;if(!t||!t.getAttribute||!t.getAttribute('data-preview')||!t.files)return;
        var box=t.parentNode.querySelector('.preview');if(!box){box=document.createElement('span');box.className='preview';t.parentNode.appendChild(box);}
        box.innerHTML='';if(t.files[0]&&window.URL){var img=document.createElement('img');img.alt=zh?'照片预览':'Photo preview';img.src=URL.createObjectURL(t.files[0]);box.appendChild(img);}});
      // A form marked data-busy says it is sending and cannot be sent twice.
      document.addEventListener('submit',function(e){var f=e.target;if(e.defaultPrevented||!f.getAttribute||!f.getAttribute('data-busy'))return;
        var b=f.querySelector('button[type=submit]');if(b){setTimeout(function(){b.disabled=true;b.textContent=zh?'提交中…':'Sending…';},0);}});
      // The blow form: redrawing the suggestions keeps what was typed.
      var suggest=document.getElementById('suggest'),blow=document.getElementById('blow');
      // A new item or urgency lets the server propose the kind and reason again (BlowProposal).
      var lastChanged='';if(suggest){suggest.addEventListener('change',function(e){lastChanged=e.target&&e.target.name||'';},true);}
      if(suggest&&blow){suggest.addEventListener('submit',function(){
        if(lastChanged==='item'||lastChanged==='urgency'){var k=suggest.querySelector('[name=kind]');if(k)k.disabled=true;}['title','description','address','leadOfficial'].forEach(function(n){
        var src=blow.querySelector('[name='+n+']');if(!src||!src.value)return;var h=document.createElement('input');h.type='hidden';h.name=n;h.value=src.value;suggest.appendChild(h);});},true);
        suggest.submit=function(){var ev=new Event('submit',{cancelable:true});suggest.dispatchEvent(ev);HTMLFormElement.prototype.submit.call(suggest);};}
      // Searching the units that may be summoned.
      var search=document.querySelector('[data-unit-search]');
      if(search){search.addEventListener('input',function(){var q=search.value.trim().toLowerCase(),labels=document.querySelectorAll('#responders label[data-unit]');
        for(var i=0;i<labels.length;i++){var l=labels[i],hit=!q||l.getAttribute('data-unit').toLowerCase().indexOf(q)>=0||l.querySelector('input').checked;l.classList.toggle('hidden',!hit);}});}
      // The console's filters stay put between visits (this browser only).
      var filters=document.querySelector('form[data-remember]');
      if(filters&&window.localStorage){var key='whistle.filters.'+filters.getAttribute('data-remember');
        if(location.search===''&&localStorage.getItem(key)){location.replace(location.pathname+'?'+localStorage.getItem(key));}
        else{var q=location.search.replace(/^\\?/,'').split('&').filter(function(p){return p&&p.indexOf('page=')!==0;}).join('&');
          if(q)localStorage.setItem(key,q);else localStorage.removeItem(key);}
        var reset=filters.querySelector('[data-reset]');if(reset)reset.addEventListener('click',function(){localStorage.removeItem(key);});}
      // Selecting several tasks: "select all" ticks every box of its form.
      document.addEventListener('change',function(e){var t=e.target;if(!t||!t.getAttribute||!t.getAttribute('data-select-all'))return;
        var boxes=t.form?t.form.querySelectorAll('input[type=checkbox][name="tasks[]"]'):[];for(var i=0;i<boxes.length;i++)boxes[i].checked=t.checked;});
    })();
    """
}
