import { createHash } from 'node:crypto';
import type { PageAssets } from '../render/html/layout.js';

// The only stylesheet and script the pages load, served from our own origin so the CSP can say
// script-src 'self' / style-src 'self' with no inline code. Versioned by content hash for caching.

const CSS = `
:root{--bg:#fff;--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--card:#f6f8fa;--code:#eff2f5;--link:#0856c7;
--ok:#116329;--ok-bg:#dafbe1;--warn:#7d4e00;--warn-bg:#fff1c2;--bad:#a40e26;--bad-bg:#ffe1e4;--accent:#0856c7}
@media (prefers-color-scheme:dark){:root{--bg:#0f1419;--fg:#e6edf3;--muted:#9da7b3;--line:#30363d;--card:#161b22;
--code:#1f2630;--link:#6cb6ff;--ok:#7ee2a0;--ok-bg:#0f3020;--warn:#f5d37a;--warn-bg:#3a2c05;--bad:#ffa198;--bad-bg:#4a1117;--accent:#1f6feb}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:var(--link)}
main{max-width:60rem;margin:0 auto;padding:1rem 1rem 3rem}
.top{display:flex;gap:1rem;align-items:center;justify-content:space-between;padding:.6rem 1rem;border-bottom:1px solid var(--line);background:var(--card)}
.top a{text-decoration:none;font-weight:600}.brand{color:var(--fg)}
h1{font-size:1.6rem;line-height:1.25;margin:.4rem 0 1rem;overflow-wrap:anywhere}
h2{font-size:1.2rem;margin:1.8rem 0 .6rem;padding-bottom:.25rem;border-bottom:1px solid var(--line)}
h3,h4,h5,h6{font-size:1.05rem;margin:1.2rem 0 .4rem}
p,li,dd,td{overflow-wrap:anywhere}
code{font:.9em/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--code);padding:.1em .3em;border-radius:4px}
pre{background:var(--code);border:1px solid var(--line);border-radius:6px;padding:.7rem .8rem;margin:.4rem 0}
pre code{background:none;padding:0;display:block}
pre code{white-space:pre-wrap;overflow-wrap:anywhere;word-break:break-word}
pre.log{overflow:auto;max-height:32rem}
time{white-space:nowrap}
.info{background:var(--card);border-left:4px solid var(--line);padding:.5rem .75rem;border-radius:4px}
.lede{color:var(--muted);font-size:1.05rem}
.meta,.crumbs,.count,.conf,.line{color:var(--muted);font-size:.9rem}
.crumbs{margin:0}
.notice{background:var(--warn-bg);color:var(--fg);border-left:4px solid var(--warn);padding:.5rem .75rem;border-radius:4px}
.empty{color:var(--muted)}
form.search label{display:block;font-weight:600;margin-bottom:.3rem}
.search-row{display:flex;flex-wrap:wrap;gap:.5rem;align-items:stretch}
.fill-row{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}
.search-row input{flex:1 1 14rem;min-width:0}
input{font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:.45rem .6rem;max-width:100%}
.fill-row label{display:flex;flex-direction:column;font-size:.9rem;color:var(--muted);flex:1 1 9rem}
button{font:inherit;font-size:.9rem;cursor:pointer;color:#fff;background:var(--accent);border:0;border-radius:6px;padding:.45rem .9rem;min-height:2.2rem}
button:focus-visible,a:focus-visible,input:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
form.fill{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.6rem .8rem;margin:.6rem 0 1rem}
form.fill p{margin:0 0 .4rem}
ul.cards{list-style:none;padding:0;display:grid;gap:.7rem}
ul.cards li{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.7rem .9rem}
ul.cards li p{margin:.3rem 0}
ul.cards .id{font-size:.8rem}
ol.commands{list-style:none;padding:0;margin:0}
li.cmd{margin:0 0 1rem}
.cmd-head{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
.cmd-head .desc{flex:1 1 12rem}
.cmd-head .copy{margin-left:auto}
.risk,.missing{margin:.2rem 0;font-size:.92rem}
.badge{display:inline-block;font-size:.78rem;font-weight:600;padding:.1rem .5rem;border-radius:999px;white-space:nowrap}
.badge.ok{background:var(--ok-bg);color:var(--ok)}.badge.warn{background:var(--warn-bg);color:var(--warn)}
.badge.bad{background:var(--bad-bg);color:var(--bad)}.badge.muted{background:var(--code);color:var(--muted)}
dl.checks dt{margin-top:.6rem}dl.checks dd{margin:.2rem 0 0 1rem}
table.facts{border-collapse:collapse;width:100%}
table.facts th{text-align:left;font-weight:600;padding:.3rem .6rem .3rem 0;vertical-align:top;width:9rem;color:var(--muted)}
table.facts td{padding:.3rem 0}
ul.findings{list-style:none;padding:0}li.finding{border-bottom:1px solid var(--line);padding:.4rem 0}
ul.evidence{padding-left:1rem}
.unsafe{color:var(--muted)}
footer.meta{margin-top:2rem;border-top:1px solid var(--line)}
details.object{border:1px solid var(--line);border-radius:6px;margin:.4rem 0;background:var(--card)}
details.object>summary{cursor:pointer;padding:.45rem .7rem;overflow-wrap:anywhere}
details.object[open]>summary{border-bottom:1px solid var(--line)}
ul.fields{list-style:none;margin:0;padding:.2rem .7rem}
ul.fields li{padding:.35rem 0;border-bottom:1px dashed var(--line)}
ul.fields li:last-child{border-bottom:0}
code.path{font-weight:600}
.fromto{margin:.15rem 0 0 .8rem}
.fromto .from code{background:var(--bad-bg)}.fromto .to code{background:var(--ok-bg)}
.absent{color:var(--muted);font-style:italic}
@media (max-width:30rem){h1{font-size:1.35rem}main{padding:.75rem .75rem 2rem}table.facts th{width:6.5rem}}
`;

// Progressive enhancement only: the pages work without it (search via ?q=, commands selectable).
const JS = `(function(){'use strict';
function fallbackCopy(text){return new Promise(function(resolve,reject){var ta=document.createElement('textarea');ta.value=text;
ta.setAttribute('readonly','');ta.style.position='fixed';ta.style.top='0';ta.style.opacity='0';document.body.appendChild(ta);ta.select();
try{document.execCommand('copy')?resolve():reject(new Error('copy refused'))}catch(err){reject(err)}finally{document.body.removeChild(ta)}})}
function copy(text){if(navigator.clipboard&&window.isSecureContext){return navigator.clipboard.writeText(text).catch(function(){return fallbackCopy(text)})}return fallbackCopy(text)}
document.querySelectorAll('button[data-copy]').forEach(function(btn){var target=document.getElementById(btn.getAttribute('data-copy')||'');
if(!target)return;btn.hidden=false;btn.setAttribute('aria-label','Copy command');btn.addEventListener('click',function(){
copy(target.textContent||'').then(function(){btn.textContent='Copied';btn.setAttribute('data-copied','true');setTimeout(function(){btn.textContent='Copy'},2000)},
function(){btn.textContent='Select and copy';var r=document.createRange();r.selectNodeContents(target);var s=window.getSelection();if(s){s.removeAllRanges();s.addRange(r)}})})});
var input=document.querySelector('input[data-filter]');var list=document.getElementById('runbooks');
if(input&&list){var items=Array.prototype.slice.call(list.querySelectorAll('li[data-search]'));var count=document.getElementById('count');
var none=document.getElementById('no-match');var initial=count?count.textContent:'';var serverQuery=input.value;
input.addEventListener('input',function(){var words=input.value.toLowerCase().split(/\\s+/).filter(Boolean);var shown=0;
items.forEach(function(li){var hay=li.getAttribute('data-search')||'';var ok=words.every(function(w){return hay.indexOf(w)!==-1});li.hidden=!ok;if(ok)shown++});
if(count)count.textContent=(words.length&&input.value!==serverQuery)?shown+' of '+items.length+' runbooks shown':initial;
if(none)none.hidden=shown!==0||words.length===0})}
})();
`;

function versioned(path: string, body: string): string {
  return `${path}?v=${createHash('sha256').update(body).digest('hex').slice(0, 12)}`;
}

export const SITE_CSS = CSS;
export const SITE_JS = JS;
export const ASSET_PATHS = { css: '/assets/site.css', js: '/assets/site.js' } as const;
export const PAGE_ASSETS: PageAssets = { css: versioned(ASSET_PATHS.css, CSS), js: versioned(ASSET_PATHS.js, JS) };
