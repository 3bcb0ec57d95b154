/// The offline queue, in the browser. A form marked `data-offline` (the grid worker's quick
/// report, a responder's task steps) that is submitted while the phone is offline is kept in
/// IndexedDB — fields and photo — and the page says so; when the connection returns (or on
/// the next page load) it is sent again with the current session's CSRF token, and the page
/// says "已发送" with a link to what was created. A refused replay (signed out, the step no
/// longer open) stays in the queue, shown in red with the server's message, to retry or
/// discard: nothing is lost silently. Items are kept per person (`footer[data-person]`);
/// only that person's items are sent, with the token of the page's own forms. The service
/// worker (`WebApp.serviceWorker`) shares the store (`queueStore`) and keeps a form whose
/// post fails on the network the same way.
extension Assets {
    /// IndexedDB access shared by the page script and the service worker.
    static let queueStore = """
    var OQ=(function(){
      var DB='whistle-offline',STORE='queue';
      function open(){return new Promise(function(res,rej){var r=indexedDB.open(DB,1);
        r.onupgradeneeded=function(){r.result.createObjectStore(STORE,{keyPath:'id',autoIncrement:true});};
        r.onsuccess=function(){res(r.result);};r.onerror=function(){rej(r.error);};});}
      function tx(mode,fn){return open().then(function(db){return new Promise(function(res,rej){
        var t=db.transaction(STORE,mode),q=fn(t.objectStore(STORE)),out;if(q)q.onsuccess=function(){out=q.result;};
        t.oncomplete=function(){db.close();res(out);};t.onerror=t.onabort=function(){db.close();rej(t.error);};});});}
      return {add:function(i){return tx('readwrite',function(s){return s.add(i);});},
        all:function(){return tx('readonly',function(s){return s.getAll();});},
        put:function(i){return tx('readwrite',function(s){return s.put(i);});},
        remove:function(id){return tx('readwrite',function(s){return s['delete'](id);});}};
    })();
    function oqEntries(fd){var out=[];fd.forEach(function(v,k){if(typeof v!=='string'&&!v.size)return;out.push([k,v]);});return out;}
    function oqTitle(label,fd){var t=fd.get('text')||fd.get('result')||'';return label+(t?'：'+String(t).slice(0,40):'');}

    """

    static let offlineScript = queueStore + """
    (function(){
      'use strict';
      document.documentElement.classList.add('js');
      var body=document.body,zh=body.getAttribute('data-lang')!=='en';
      function t(a,b){return zh?a:b;}
      var tokenField=document.querySelector('header input[name=_csrf]')||document.querySelector('input[name=_csrf]');
      var foot=document.querySelector('footer[data-person]'),person=foot?foot.getAttribute('data-person')||'':'',token=tokenField?tokenField.value:'',sent=[];
      if('serviceWorker' in navigator&&person){navigator.serviceWorker.register('/sw.js',{scope:'/'}).catch(function(){});}
      // Signing out forgets the pages kept for offline use (the queue stays: it is per person).
      document.addEventListener('submit',function(e){var f=e.target;if(f.getAttribute&&f.getAttribute('action')==='/logout'&&window.caches){caches['delete']('whistle-pages');}},true);
      if(!window.indexedDB||!window.Promise||!person)return;
      function mine(i){return i.person?i.person===person:(!!token&&i.csrf===token);}
      function box(){var b=document.getElementById('offline-status'),m=document.getElementById('main');
        if(!b&&m){b=document.createElement('div');b.id='offline-status';b.className='card notice';b.setAttribute('role','status');
          b.setAttribute('aria-live','polite');m.parentNode.insertBefore(b,m);}return b;}
      function line(b,cls,text,href,label){var p=document.createElement('p');p.className=cls;p.textContent=text;
        if(href){var a=document.createElement('a');a.href=href;a.textContent=' '+label;p.appendChild(a);}b.appendChild(p);return p;}
      function button(p,text,fn){var x=document.createElement('button');x.type='button';x.className='small';x.textContent=text;
        x.addEventListener('click',fn);p.appendChild(document.createTextNode(' '));p.appendChild(x);}
      function render(){return OQ.all().then(function(items){var b=box();if(!b)return;b.textContent='';
        items.filter(mine).forEach(function(i){
          if(i.state==='refused'){var p=line(b,'refused',t('未能发送：','Could not send: ')+i.title+' — '+(i.error||''));
            button(p,t('重试','Retry'),function(){i.state='waiting';OQ.put(i).then(flush);});
            button(p,t('放弃','Discard'),function(){OQ.remove(i.id).then(render);});}
          else{line(b,'waiting',t('已离线保存，联网后自动发送：','Saved offline; will send when back online: ')+i.title+
            (i.photoDropped?t('（照片需联网后重新上传）',' (the photo needs a connection: add it again)'):''));}});
        sent.forEach(function(i){line(b,'sent',t('已发送：','Sent: ')+i.title,i.url,t('查看','Open'));});
        b.className='card '+(b.querySelector('.refused')?'error':'notice');
      })['catch'](function(){});}
      // A marked form submitted offline is kept instead of failing in the browser.
      document.addEventListener('submit',function(e){var f=e.target;
        if(e.defaultPrevented||!f.hasAttribute||!f.hasAttribute('data-offline')||navigator.onLine!==false)return;
        e.preventDefault();var fd=new FormData(f);if(e.submitter&&e.submitter.name)fd.append(e.submitter.name,e.submitter.value);
        var item={action:f.getAttribute('action'),entries:oqEntries(fd),person:person,csrf:String(fd.get('_csrf')||''),
          title:oqTitle(f.getAttribute('data-offline'),fd),savedAt:new Date().toISOString(),state:'waiting'};
        OQ.add(item)['catch'](function(){item.entries=item.entries.filter(function(x){return typeof x[1]==='string';});
          item.photoDropped=true;return OQ.add(item);}).then(function(){f.reset();f.removeAttribute('data-geo-done');return render();},
          function(){var b=box();if(b)line(b,'refused',t('无法离线保存，请联网后重试。','Could not keep this offline; try again when online.'));});
      });
      var flushing=false;
      function send(i){var blobs=i.entries.some(function(x){return typeof x[1]!=='string';}),fd=blobs?new FormData():new URLSearchParams();
        i.entries.forEach(function(x){if(x[0]==='_csrf')return;if(typeof x[1]==='string')fd.append(x[0],x[1]);else fd.append(x[0],x[1],x[1].name||'photo.jpg');});
        fd.append('_csrf',token);
        return fetch(i.action,{method:'POST',body:fd,credentials:'same-origin'}).then(function(r){return r.text().then(function(html){
          if(r.ok){i.url=r.url;sent.push(i);return OQ.remove(i.id);}
          var m=new DOMParser().parseFromString(html,'text/html').querySelector('.message');
          i.state='refused';i.error=(m&&m.textContent)||('HTTP '+r.status);return OQ.put(i);});},function(){});}
      function flush(){if(flushing||navigator.onLine===false||!token)return render();flushing=true;
        return OQ.all().then(function(items){return items.filter(function(i){return mine(i)&&i.state==='waiting';})
          .reduce(function(p,i){return p.then(function(){return send(i);});},Promise.resolve());})['catch'](function(){})
          .then(function(){flushing=false;return render();});}
      window.addEventListener('online',flush);
      window.addEventListener('offline',render);
      flush();
    })();

    """
}
