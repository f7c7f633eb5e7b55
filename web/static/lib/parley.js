// Parley's pages share this module: a token kept in the tab, calls to the
// APIs with it, a live stream read over fetch (EventSource cannot send a
// bearer token), and a small DOM builder that sets every text with
// textContent, never as HTML.

// el builds an element: el('li', {class: 'x', onclick: fn}, 'text', child).
// Strings become text nodes; attributes named on* become listeners.
export function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  append(e, kids);
  return e;
}

function append(e, kids) {
  for (const k of kids) {
    if (k === undefined || k === null || k === false) continue;
    if (Array.isArray(k)) append(e, k);
    else e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
}

// clear empties an element.
export function clear(e) { e.replaceChildren(); return e; }

// $ finds an element by id.
export const $ = id => document.getElementById(id);

// A Session is a signed-in token, kept in sessionStorage under key, so that
// it leaves with the tab.
export class Session {
  constructor(key) { this.key = key; this.token = sessionStorage.getItem(key) || ''; }
  save(token) { this.token = token; sessionStorage.setItem(this.key, token); }
  forget() { this.token = ''; sessionStorage.removeItem(this.key); }

  // call sends a request with the token and returns the decoded JSON body;
  // an error status throws an APIError with the server's message.
  async call(method, path, body) {
    const init = { method, headers: { Authorization: 'Bearer ' + this.token } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const res = await fetch(path, init);
    let data = null;
    try { data = await res.json(); } catch { /* no body */ }
    if (!res.ok) throw new APIError(res.status, data);
    return data;
  }
}

// An APIError is an answer with an error status, with its message and the
// field at fault, from either body the APIs use.
export class APIError extends Error {
  constructor(status, body) {
    const e = body && body.error;
    const message = (e && (e.details && e.details[0] ? e.details[0].message : e.message)) ||
      (body && body.status && body.status.message) || ('HTTP ' + status);
    super(message);
    this.status = status;
    this.field = (e && e.details && e.details[0] && e.details[0].field) || (body && body.field) || '';
  }
  toString() { return this.field ? this.field + ': ' + this.message : this.message; }
}

// stream reads a text/event-stream with the session's token and calls
// onEvent(name, data) for each event, resuming with Last-Event-ID after a
// break, until stop() is called. onState(true|false) reports the
// connection.
export function stream(session, path, onEvent, onState) {
  const ctl = { stopped: false, abort: null, lastId: '' };
  let retry = 1000;
  async function run() {
    while (!ctl.stopped) {
      const ac = new AbortController();
      ctl.abort = () => ac.abort();
      try {
        const headers = { Authorization: 'Bearer ' + session.token, Accept: 'text/event-stream' };
        if (ctl.lastId) headers['Last-Event-ID'] = ctl.lastId;
        const res = await fetch(path, { headers, signal: ac.signal, cache: 'no-store' });
        if (res.status === 401 || res.status === 403) { onState(false, new APIError(res.status, null)); return; }
        if (!res.ok || !res.body) throw new Error('HTTP ' + res.status);
        onState(true);
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += value.replace(/\r\n?/g, '\n');
          let i;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            let name = 'message', data = '', id = null;
            for (const line of block.split('\n')) {
              const c = line.indexOf(':');
              const f = c < 0 ? line : line.slice(0, c);
              const v = c < 0 ? '' : line.slice(c + 1).replace(/^ /, '');
              if (f === 'event') name = v;
              else if (f === 'data') data += (data ? '\n' : '') + v;
              else if (f === 'id') id = v;
              else if (f === 'retry' && /^\d+$/.test(v)) retry = Number(v);
            }
            if (id !== null) ctl.lastId = id;
            if (data) {
              try { onEvent(name, JSON.parse(data)); } catch (err) { console.error(err); }
            }
          }
        }
      } catch (err) {
        if (ctl.stopped) return;
      }
      onState(false);
      await new Promise(r => setTimeout(r, retry));
    }
  }
  run();
  return { stop() { ctl.stopped = true; if (ctl.abort) ctl.abort(); } };
}

// signIn runs a page's sign-in: its form (#signin with #token and
// #signin-error), its session bar (#session with #bot and #signout) and its
// work area (#desk). Signed in with a token kept in the tab, it lists the
// bots; check(chatbotId) may throw for a token of no use on this page
// (a 403 shows wrongScope); ready(chatbotId) runs then, and again when
// another bot is chosen; leave() runs when the person signs out.
export function signIn(session, { wrongScope, check, ready, leave }) {
  const botKey = session.key + '.bot';
  const show = on => { $('signin').hidden = on; $('session').hidden = !on; $('desk').hidden = !on; };
  function out(message) {
    show(false);
    $('signin-error').textContent = message;
    $('token').focus();
  }
  async function start() {
    if (!session.token) return out('');
    let bots;
    try {
      bots = (await session.call('GET', '/v0/chatbots')).data.chatbots;
      if (check) await check(bots[0] ? bots[0].id : '');
    } catch (err) {
      session.forget();
      return out(err.status === 403 ? wrongScope : err.status === 401 ? 'This token is not valid.' : String(err));
    }
    show(true);
    const sel = clear($('bot'));
    for (const b of bots) sel.append(el('option', { value: b.id }, b.title || b.id));
    const kept = sessionStorage.getItem(botKey);
    sel.value = bots.some(b => b.id === kept) ? kept : (bots[0] ? bots[0].id : '');
    await ready(sel.value);
  }
  $('signin').addEventListener('submit', e => {
    e.preventDefault();
    session.save($('token').value.trim());
    $('token').value = '';
    start();
  });
  $('signout').addEventListener('click', () => {
    leave();
    session.forget();
    sessionStorage.removeItem(botKey);
    out('Signed out.');
  });
  $('bot').addEventListener('change', () => {
    sessionStorage.setItem(botKey, $('bot').value);
    ready($('bot').value);
  });
  start();
}

// when formats a timestamp for people, in their locale.
export function when(ts) {
  if (!ts) return '';
  const d = new Date(ts);
  return isNaN(d) ? String(ts) : d.toLocaleString();
}

// announce puts a sentence in the page's status line (a live region).
export function announce(text) {
  const s = $('status');
  if (s) s.textContent = text;
}
