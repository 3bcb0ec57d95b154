/// The style sheet's phone-first part, served after `Assets.style` in `/assets/site.css`:
/// text that never breaks one character per line, tables as labelled cards below 600 px
/// (`TableKit` labels the cells), the task page's steps as separate blocks, the header on a
/// 390 px phone, and the offline queue's status box.
extension Assets {
    static let phoneStyle = """
    .badge,.clock,.countdown,.number,.nowrap{white-space:nowrap}
    td,dd,li,p,h1,h2,strong{overflow-wrap:break-word}
    dl.facts dd{min-width:0}dl.facts dt{white-space:nowrap}
    .steps{display:grid;gap:.8rem;margin:0 0 .8rem;align-items:start}
    @media(min-width:760px){.steps{grid-template-columns:repeat(2,minmax(0,1fr))}}
    .step{margin:0}.step>h2,.step>summary{margin:0 0 .5rem;font-size:1.05rem;font-weight:700}
    .step>summary{cursor:pointer;min-height:44px;display:flex;align-items:center}
    details.step:not([open])>summary{margin:0}
    .step p.hint{margin:0 0 .5rem;color:var(--muted);font-size:.9rem}
    .step form{margin:0}
    .mine .state{white-space:nowrap}
    .kpis{margin:0 0 .8rem}
    fieldset.field{border:0;padding:0;margin:0 0 .7rem;min-width:0}
    .urgency{display:flex;flex-wrap:wrap;gap:.4rem}.urgency label{display:flex;gap:.3rem;align-items:center;padding:.35rem .7rem;border:1px solid var(--line);border-radius:999px;background:#fff;min-height:40px}
    #offline-status{margin:.8rem auto 0;max-width:1200px}
    #offline-status:empty{display:none}
    #offline-status p{margin:.2rem 0}
    #offline-status .refused{color:var(--red)}
    html.js .unit-switch button{display:none}
    @media(max-width:600px){
      table,tbody,tr,td{display:block;width:100%}
      table{background:none}
      thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
      tr{background:#fff;border:1px solid var(--line);border-radius:8px;margin:0 0 .6rem;padding:.35rem .6rem}
      td{border:0;padding:.2rem 0}
      td[data-label]{position:relative;padding-left:6.6rem;min-height:1.7rem}
      td[data-label]::before{content:attr(data-label);position:absolute;left:0;top:.25rem;width:6.2rem;color:var(--muted);font-size:.85rem;line-height:1.3}
      .scroll{overflow-x:visible}
      .top{gap:.3rem .6rem}
      .top .brand{order:0}
      .top .lang{order:1;margin-left:auto}
      .top .nav{order:2;flex:1 1 100%}
      .top .who{order:3;flex:1 1 100%;flex-wrap:nowrap;min-width:0}
      .who .person{white-space:nowrap}
      .who .unit{min-width:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
      .who .unit-switch{flex:1 1 auto;min-width:0;display:flex;gap:.3rem}
      .who select{max-width:none;flex:1 1 auto;min-width:0;width:100%}
      .step button.primary,.step button.good{width:100%}
      .actions>form,.actions>a{flex:1 1 auto}
      .actions button,.actions .button{width:100%;text-align:center}
    }
    """
}
