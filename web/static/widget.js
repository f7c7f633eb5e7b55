// Parley's chat widget. One tag puts it on a page:
//
//   <script src="https://HOST/widget.js" data-chatbot="CHATBOT_ID"
//           data-token="CLIENT_TOKEN" async></script>
//
// It talks to the Parley server it came from with SiteGPT's threads API:
// it creates a thread with the client token, keeps the thread's token in
// localStorage to resume it, sends messages, and reads the thread's live
// events (server-sent events over fetch, resumed with Last-Event-ID). Its
// elements live in a shadow root, so that the page's styles and its own
// do not mix. Every text from the server goes into the page with
// textContent, never as HTML.
//
// Optional attributes: data-layout="kiosk" (full screen, always open,
// touch first), data-mount="ID" (the element to fill instead of a
// launcher in the corner), data-lang="fr" (the language of its own words
// when the bot's settings give none).
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || !script.dataset.chatbot || !script.dataset.token) {
    if (window.console) console.warn('parley: widget.js needs data-chatbot and data-token');
    return;
  }
  var base = new URL(script.src, location.href).origin;
  var bot = script.dataset.chatbot;
  var clientToken = script.dataset.token;
  var kiosk = script.dataset.layout === 'kiosk';
  var api = base + '/v0/chatbots/' + encodeURIComponent(bot);
  var storeKey = 'parley:' + base + ':' + bot;

  // The widget's own words; a bot's settings.localization replaces any.
  var words = {
    open: 'Open the chat', close: 'Close the chat', title: 'Chat', messages: 'Messages',
    message: 'Message', placeholder: 'Type a message…', send: 'Send', person: 'Talk to a person',
    startOver: 'Start over', typing: 'Typing…', you: 'You', botName: 'Bot', agent: 'Agent',
    helpful: 'Helpful', notHelpful: 'Not helpful', suggestions: 'Suggestions',
    escalated: 'A person will answer you here shortly.', waiting: 'Waiting for a person…',
    joined: 'You are talking to a person.', backToBot: 'The bot answers again.',
    limit: 'This conversation has reached its limit.', upstream: 'Nobody could be reached.',
    email: 'Your email address', emailGiven: 'Email address received.',
    verified: 'Email address verified.', wrongCode: 'That code is not right.',
    code: 'Verification code', codeSent: 'We sent a code to your email address: enter it here.',
    verify: 'Verify', resend: 'Send a new code', codeResent: 'A new code is on its way.',
    codeDigits: 'The code has 6 digits.', codeAgain: 'Try again, or ask for a new code.', codeSpent: 'Ask for a new code.',
    error: 'Something went wrong. Please try again.', offline: 'Reconnecting…',
    image: 'Image', opens: '(opens in a new tab)'
  };

  var state = {
    thread: null, token: null, lastSeq: 0, replayUntil: 0, mode: 'AI',
    pending: [], started: false, chatbot: null, stream: null, shown: {}, verifying: false, wrongCodes: 0
  };

  // el builds an element: attrs set as attributes (or properties for
  // the names in props), children appended (strings as text nodes).
  var props = { textContent: 1, hidden: 1, disabled: 1, type: 1, value: 1, htmlFor: 1 };
  function el(tag, attrs) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) {
      if (attrs[k] == null || attrs[k] === false) continue;
      if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), attrs[k]);
      else if (props[k]) e[k] = attrs[k];
      else e.setAttribute(k, attrs[k] === true ? '' : attrs[k]);
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c == null) continue;
      e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return e;
  }

  // The host element and its shadow root.
  var host = el('div', { 'class': 'parley-widget' });
  var root = host.attachShadow({ mode: 'open' });
  var sheet = el('link', { rel: 'stylesheet', href: base + '/widget.css' });
  var frame = el('div', { 'class': 'parley' + (kiosk ? ' kiosk' : ''), hidden: true });
  sheet.addEventListener('load', function () { frame.hidden = false; });
  sheet.addEventListener('error', function () { frame.hidden = false; });
  root.appendChild(sheet);
  root.appendChild(frame);

  var launcher = el('button', { type: 'button', 'class': 'launcher', 'aria-expanded': 'false', 'aria-controls': 'parley-window', onclick: toggle });
  var launcherLabel = el('span', { 'class': 'sr' });
  launcher.appendChild(el('span', { 'class': 'bubble', 'aria-hidden': 'true' }));
  launcher.appendChild(launcherLabel);
  var title = el('h2', { id: 'parley-title', 'class': 'title' });
  var status = el('p', { 'class': 'status', role: 'status' });
  var escalateButton = el('button', { type: 'button', 'class': 'person', onclick: escalate });
  var closeButton = el('button', { type: 'button', 'class': 'close', onclick: function () { setOpen(false); launcher.focus(); } });
  var restartButton = el('button', { type: 'button', 'class': 'restart', onclick: restart });
  var log = el('div', { 'class': 'log', role: 'log', 'aria-live': 'polite', 'aria-labelledby': 'parley-log-label', tabindex: '0' });
  var logLabel = el('h3', { id: 'parley-log-label', 'class': 'sr' });
  var typing = el('p', { 'class': 'typing', hidden: true }, el('span', { 'aria-hidden': 'true' }, el('i'), el('i'), el('i')), el('span', { 'class': 'sr typing-label' }));
  var prompts = el('div', { 'class': 'prompts', role: 'group' });
  var input = el('input', { id: 'parley-input', 'class': 'input', type: 'text', autocomplete: 'off', maxlength: '4096', required: true });
  var inputLabel = el('label', { htmlFor: 'parley-input', 'class': 'sr' });
  var sendButton = el('button', { type: 'submit', 'class': 'send' });
  var alertBox = el('p', { 'class': 'alert', role: 'alert' });
  // The field for a one-time code, shown while the server awaits one.
  var codeHelp = el('p', { id: 'parley-code-help', 'class': 'code-help' });
  var codeResult = el('p', { id: 'parley-code-result', 'class': 'code-result', 'aria-live': 'polite' });
  var codeInput = el('input', { id: 'parley-code', 'class': 'code', type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code',
    pattern: '[0-9]{6}', maxlength: '6', required: true, 'aria-describedby': 'parley-code-help parley-code-result' });
  var codeLabel = el('label', { htmlFor: 'parley-code' });
  var verifyButton = el('button', { type: 'submit', 'class': 'verify' });
  var resendButton = el('button', { type: 'button', 'class': 'resend', onclick: resendCode });
  var codeForm = el('form', { 'class': 'code-form', hidden: true, onsubmit: function (e) { e.preventDefault(); sendCode(); } },
    codeHelp, el('div', { 'class': 'code-row' }, codeLabel, codeInput, verifyButton), resendButton, codeResult);
  var form = el('form', { 'class': 'composer', onsubmit: function (e) { e.preventDefault(); sendTyped(); } }, inputLabel, input, sendButton);
  var win = el('section', { id: 'parley-window', 'class': 'window', role: kiosk ? 'region' : 'dialog', 'aria-labelledby': 'parley-title', hidden: !kiosk },
    el('header', null, title, escalateButton, kiosk ? restartButton : closeButton),
    status, logLabel, log, typing, prompts, alertBox, codeForm, form);
  if (!kiosk) frame.appendChild(launcher);
  frame.appendChild(win);
  win.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && !kiosk) { setOpen(false); launcher.focus(); }
  });

  var mount = script.dataset.mount && document.getElementById(script.dataset.mount);
  (mount || document.body).appendChild(host);

  function t(key) { return words[key]; }

  // texts puts the widget's words into its elements.
  function texts() {
    title.textContent = (state.chatbot && state.chatbot.title) || t('title');
    launcherLabel.textContent = t('open');
    closeButton.textContent = '×';
    closeButton.setAttribute('aria-label', t('close'));
    restartButton.textContent = t('startOver');
    escalateButton.textContent = t('person');
    logLabel.textContent = t('messages');
    typing.querySelector('.typing-label').textContent = t('typing');
    prompts.setAttribute('aria-label', t('suggestions'));
    inputLabel.textContent = t('message');
    sendButton.textContent = t('send');
    codeHelp.textContent = t('codeSent');
    codeLabel.textContent = t('code');
    verifyButton.textContent = t('verify');
    resendButton.textContent = t('resend');
    var s = (state.chatbot && state.chatbot.settings) || {};
    input.placeholder = s.placeholderText || t('placeholder');
  }

  // appearance applies the bot's settings: colours, direction, words.
  function appearance(cb) {
    var s = cb.settings || {};
    var loc = s.localization || {};
    for (var k in loc) if (typeof loc[k] === 'string' && words.hasOwnProperty(k)) words[k] = loc[k];
    if (s.brandColor) host.style.setProperty('--parley-brand', s.brandColor);
    if (s.brandTextColor) host.style.setProperty('--parley-brand-text', s.brandTextColor);
    var lang = s.locale || script.dataset.lang;
    if (lang) frame.setAttribute('lang', lang);
    frame.setAttribute('dir', s.rtl ? 'rtl' : 'ltr');
    texts();
  }

  function setOpen(open) {
    if (kiosk) return;
    win.hidden = !open;
    launcher.setAttribute('aria-expanded', String(open));
    frame.classList.toggle('open', open);
    if (open) {
      start();
      input.focus();
    }
  }
  function toggle() { setOpen(win.hidden); }

  // request calls the API with a token, returning the answer's data or
  // throwing an Error with the status.
  function request(method, path, body, token) {
    var headers = { Authorization: 'Bearer ' + (token || state.token || clientToken) };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return fetch(api + path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit' })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (j) {
          if (!r.ok) {
            var e = new Error((j.error && j.error.message) || r.statusText);
            e.status = r.status;
            throw e;
          }
          return j.data;
        });
      });
  }

  function fail(err) {
    alertBox.textContent = t('error');
    if (window.console) console.warn('parley:', err && err.message);
  }

  // start loads the bot and the thread once.
  var starting = null;
  function start() {
    if (!starting) starting = request('GET', '', undefined, clientToken).then(function (d) {
      state.chatbot = d.chatbot;
      appearance(d.chatbot);
      return resume();
    }).catch(function (err) { starting = null; fail(err); });
    return starting;
  }

  function saved() {
    try { return JSON.parse(localStorage.getItem(storeKey) || 'null'); } catch (e) { return null; }
  }
  function save() {
    try { localStorage.setItem(storeKey, JSON.stringify({ thread: state.thread, token: state.token })); } catch (e) { /* private mode */ }
  }

  // resume follows the saved thread, or starts a new one.
  function resume() {
    var s = saved();
    if (!s || !s.thread || !s.token) return newThread();
    state.thread = s.thread;
    state.token = s.token;
    return request('GET', '/threads/' + encodeURIComponent(s.thread)).then(function (d) {
      var msgs = d.thread.messages;
      state.replayUntil = msgs.length ? msgs[msgs.length - 1].seq : 0;
      state.mode = d.thread.mode;
      if (!msgs.length) welcome();
      follow('0');
      showPrompts();
      pageView();
    }, function (err) {
      if (err.status === 401 || err.status === 403 || err.status === 404) return newThread();
      throw err;
    });
  }

  function newThread() {
    state.thread = state.token = null;
    state.lastSeq = state.replayUntil = 0;
    state.mode = 'AI';
    return request('POST', '/threads', {}, clientToken).then(function (d) {
      state.thread = d.thread.threadId;
      state.token = d.threadToken;
      save();
      welcome();
      follow('0');
      showPrompts();
      pageView();
    });
  }

  // welcome shows the bot's welcome message before the conversation
  // (and before a message sent while the thread was being made).
  function welcome() {
    var s = (state.chatbot && state.chatbot.settings) || {};
    if (s.welcomeMessage) log.insertBefore(addItem('bot', bubble('bot', s.welcomeMessage)), log.firstChild);
  }

  // restart forgets the thread (the kiosk's next customer).
  function restart() {
    if (state.stream) state.stream.abort();
    try { localStorage.removeItem(storeKey); } catch (e) { /* nothing kept */ }
    log.textContent = '';
    state.shown = {};
    state.started = false;
    alertBox.textContent = status.textContent = '';
    showCode(false);
    queue = Promise.resolve();
    starting = newThread().catch(function (err) { starting = null; fail(err); });
    input.focus();
  }

  // pageView tells the server which page the visitor is on, for the
  // automated messages that wait for a page view. Servers without the
  // route answer 404, which changes nothing.
  function pageView() {
    request('POST', '/threads/' + encodeURIComponent(state.thread) + '/page-views',
      { url: location.href, title: document.title }).catch(function () {});
  }

  // follow reads the thread's events until the page closes, reconnecting
  // after a drop from the last event it had.
  function follow(from) {
    var ctl = new AbortController();
    state.stream = ctl;
    var last = from;
    var thread = state.thread;
    function connect() {
      fetch(api + '/threads/' + encodeURIComponent(thread) + '/events', {
        headers: { Authorization: 'Bearer ' + state.token, Accept: 'text/event-stream', 'Last-Event-ID': last },
        signal: ctl.signal, credentials: 'omit', cache: 'no-store'
      }).then(function (r) {
        if (!r.ok || !r.body) throw new Error('events: ' + r.status);
        status.classList.remove('offline');
        var reader = r.body.getReader();
        var dec = new TextDecoder();
        var buf = '';
        function pump() {
          return reader.read().then(function (c) {
            if (c.done) throw new Error('events ended');
            buf += dec.decode(c.value, { stream: true });
            var i;
            while ((i = buf.indexOf('\n\n')) >= 0) {
              var ev = parseEvent(buf.slice(0, i));
              buf = buf.slice(i + 2);
              if (ev.id) last = ev.id;
              if (ev.data) onEvent(ev.event, JSON.parse(ev.data));
            }
            return pump();
          });
        }
        return pump();
      }).catch(function () {
        if (ctl.signal.aborted) return;
        status.classList.add('offline');
        setTimeout(connect, 1000);
      });
    }
    connect();
  }

  function parseEvent(block) {
    var ev = { event: 'message', data: '' };
    block.split('\n').forEach(function (line) {
      var c = line.indexOf(':');
      if (c === 0) return; // a comment: a heartbeat
      var k = c < 0 ? line : line.slice(0, c);
      var v = c < 0 ? '' : line.slice(c + 1).replace(/^ /, '');
      if (k === 'data') ev.data += (ev.data ? '\n' : '') + v;
      else if (k === 'event' || k === 'id') ev[k] = v;
    });
    return ev;
  }

  // Messages are shown one after the other: a bot's delays hold the ones
  // after them.
  var queue = Promise.resolve();
  function onEvent(kind, d) {
    if (kind === 'thread') {
      setMode(d.mode, d.escalated);
      return;
    }
    if (kind !== 'message' || state.shown[d.messageId]) return;
    state.shown[d.messageId] = true;
    queue = queue.then(function () { return show(d); }).catch(fail);
  }

  function setMode(mode, escalated) {
    state.mode = mode;
    escalateButton.hidden = mode === 'AGENT';
    status.textContent = mode === 'AGENT' ? (escalated ? t('waiting') : t('joined')) : '';
  }

  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

  function show(d) {
    var live = d.seq > state.replayUntil;
    if (d.seq > state.lastSeq) state.lastSeq = d.seq;
    if (d.messageType !== 'USER_MESSAGE') typing.hidden = true;
    switch (d.messageType) {
      case 'USER_MESSAGE':
        if (d.question && d.question.trigger) return; // an event, not the user's words
        var text = d.question ? d.question.text : '';
        var i = state.pending.indexOf(text);
        if (i >= 0) {
          state.pending.splice(i, 1); // shown when sent
          return;
        }
        addItem('user', bubble('user', text));
        return;
      case 'AGENT_MESSAGE':
        if (state.mode === 'AGENT') status.textContent = t('joined');
        addItem('agent', bubble('agent', d.answer ? d.answer.text : '', d.agentName || t('agent')));
        return;
      case 'SYSTEM_MESSAGE':
        return systemMessage(d, live);
      default:
        return botMessage(d, live);
    }
  }

  var systemWords = {
    CONVERSATION_ESCALATED: 'escalated', EXCEEDED_USAGE_LIMITS: 'limit',
    PROBLEMS_WITH_UPSTREAM_PROVIDER: 'upstream', PROVIDED_EMAIL: 'emailGiven',
    EMAIL_VERIFIED: 'verified', ENTERED_WRONG_OTP: 'wrongCode'
  };
  function systemMessage(d, live) {
    var type = d.systemMessageType;
    var key = systemWords[type];
    if (key) addItem('system', el('p', { 'class': 'note' }, t(key)));
    if (type === 'CONVERSATION_ESCALATED') setMode('AGENT', true);
    return verification(type, live);
  }

  // verification follows the verification of the user's email address:
  // once a thread's user gave one, a server that verifies addresses
  // (settings.emailVerification) has sent them a code, and the field for
  // it shows until the code is right or no code is awaited. A thread
  // without a user is not verified: its address stays the session's.
  function verification(type, live) {
    var s = (state.chatbot && state.chatbot.settings) || {};
    if (type === 'PROVIDED_EMAIL' && s.emailVerification) {
      return request('GET', '/threads/' + encodeURIComponent(state.thread)).then(function (d) {
        var u = d.thread.chatUser;
        if (!u || u.verified) return;
        codeResult.textContent = '';
        showCode(true, live);
      });
    } else if (type === 'EMAIL_VERIFIED' || (type === 'PROBLEMS_WITH_UPSTREAM_PROVIDER' && state.verifying)) {
      var wasOpen = state.verifying;
      showCode(false);
      if (live && wasOpen) input.focus();
    } else if (type === 'ENTERED_WRONG_OTP' && state.verifying) {
      // After three wrong codes the server awaits none: a new one is needed.
      var spent = ++state.wrongCodes >= 3;
      verifyButton.disabled = spent;
      codeResult.textContent = t('wrongCode') + ' ' + t(spent ? 'codeSpent' : 'codeAgain');
      codeInput.setAttribute('aria-invalid', 'true');
      if (live) codeInput.select();
    }
  }

  function showCode(on, focus) {
    state.verifying = on;
    state.wrongCodes = 0;
    verifyButton.disabled = false;
    codeForm.hidden = !on;
    codeInput.value = '';
    codeInput.removeAttribute('aria-invalid');
    if (on && focus) codeInput.focus();
  }

  // sendCode enters the code as a message in the thread: the server
  // answers with EMAIL_VERIFIED or ENTERED_WRONG_OTP.
  function sendCode() {
    var code = codeInput.value.replace(/\s+/g, '');
    if (!/^[0-9]{6}$/.test(code)) {
      codeResult.textContent = t('codeDigits');
      codeInput.setAttribute('aria-invalid', 'true');
      return;
    }
    codeResult.textContent = '';
    codeInput.removeAttribute('aria-invalid');
    state.pending.push(code); // not shown as a message
    request('POST', '/message', { message: code, threadId: state.thread }).catch(fail);
  }

  function resendCode() {
    request('POST', '/threads/' + encodeURIComponent(state.thread) + '/verification-code', {}).then(function () {
      state.wrongCodes = 0;
      verifyButton.disabled = false;
      codeInput.value = '';
      codeResult.textContent = t('codeResent');
      codeInput.removeAttribute('aria-invalid');
      codeInput.focus();
    }, fail);
  }

  // botMessage shows a bot's answer: its fulfillment when it has one,
  // else its text, with typing shown for its delays when it is new.
  function botMessage(d, live) {
    var parts = d.fulfillment || [{ type: 'text', message: d.answer ? d.answer.text : '' }];
    var item = addItem('bot', null, d.messageId);
    var p = Promise.resolve();
    parts.forEach(function (f) {
      p = p.then(function () {
        if (live && f.delay > 0) {
          typing.hidden = false;
          return sleep(Math.min(f.delay, 10000));
        }
      }).then(function () {
        typing.hidden = true;
        item.appendChild(part(f));
        scrollDown();
      });
    });
    return p.then(function () {
      item.appendChild(reactions(d));
      askEmail(d);
      showPrompts(true);
      scrollDown();
    });
  }

  // part renders one fulfillment entry.
  function part(f) {
    switch (f.type) {
      case 'image': return image(f.message, '');
      case 'quickReplies': return choices(f, 'chips');
      case 'buttons': return choices(f, 'buttons');
      case 'card': return card(f);
      case 'carousel':
        var list = el('ul', { 'class': 'carousel', role: 'list' });
        (f.cards || []).forEach(function (c) { list.appendChild(el('li', null, card(c))); });
        return list;
      default: return bubble('bot', f.message || '');
    }
  }

  function bubble(who, text, name) {
    return el('div', { 'class': 'bubble ' + who },
      el('span', { 'class': who === 'agent' ? 'who' : 'sr' }, (name || t(who === 'user' ? 'you' : 'botName')) + (who === 'agent' ? '' : ': ')),
      el('span', { 'class': 'text' }, text));
  }

  // image shows a picture from the Parley server; one from elsewhere is
  // a link, so that the widget requests no other host.
  function image(src, alt) {
    var u;
    try { u = new URL(src, base); } catch (e) { return el('span'); }
    if (u.origin === base) return el('img', { src: u.href, alt: alt || t('image'), loading: 'lazy' });
    return link(u.href, alt || t('image'));
  }

  function link(href, text) {
    var u;
    try { u = new URL(href, base); } catch (e) { return el('span', null, text); }
    if (u.protocol !== 'http:' && u.protocol !== 'https:' && u.protocol !== 'mailto:' && u.protocol !== 'tel:') return el('span', null, text);
    return el('a', { href: u.href, target: '_blank', rel: 'noopener noreferrer', 'class': 'link' }, text, el('span', { 'class': 'sr' }, ' ' + t('opens')));
  }

  // choices renders quick replies (chips) or buttons with their title.
  function choices(f, kind) {
    var box = el('div', { 'class': kind, role: 'group' });
    if (f.title) {
      var id = 'parley-c' + Math.random().toString(36).slice(2);
      box.setAttribute('aria-labelledby', id);
      box.appendChild(el('p', { id: id, 'class': 'bubble bot' }, el('span', { 'class': 'sr' }, t('botName') + ': '), f.title));
    }
    var row = el('div', { 'class': 'row' });
    (f.buttons || []).forEach(function (b) { row.appendChild(button(b)); });
    box.appendChild(row);
    return box;
  }

  function button(b) {
    if (b.type === 'url') return link(b.value, b.title);
    return el('button', { type: 'button', 'class': 'chip', onclick: function () {
      if (b.type === 'goto') send(b.title, b.value);
      else send(b.value || b.title, null, b.title);
    } }, b.title);
  }

  function card(f) {
    var c = el('article', { 'class': 'card' });
    if (f.image) c.appendChild(image(f.image, f.title));
    if (f.title) c.appendChild(el('h4', null, f.title));
    if (f.subtitle) c.appendChild(el('p', null, f.subtitle));
    if (f.buttons && f.buttons.length) {
      var row = el('div', { 'class': 'row' });
      f.buttons.forEach(function (b) { row.appendChild(button(b)); });
      c.appendChild(row);
    }
    return c;
  }

  // thumb draws a thumb (up; CSS turns it down), from a font or not.
  function thumb() {
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    var path = document.createElementNS(ns, 'path');
    path.setAttribute('d', 'M14 9V5a3 3 0 0 0-3-3l-4 9v11h11.3a2 2 0 0 0 2-1.7l1.4-9a2 2 0 0 0-2-2.3zM7 22H4a2 2 0 0 1-2-2v-7a2 2 0 0 1 2-2h3');
    svg.appendChild(path);
    return svg;
  }

  // reactions lets the user say whether an answer helped.
  function reactions(d) {
    var box = el('div', { 'class': 'reactions', role: 'group', 'aria-label': t('helpful') + ' / ' + t('notHelpful') });
    [['POSITIVE', 'up', 'helpful'], ['NEGATIVE', 'down', 'notHelpful']].forEach(function (r) {
      var b = el('button', { type: 'button', 'class': 'react ' + r[1], 'aria-pressed': String(d.reaction === r[0]), 'aria-label': t(r[2]) }, thumb());
      b.addEventListener('click', function () {
        var on = b.getAttribute('aria-pressed') !== 'true';
        request('PATCH', '/messages/' + encodeURIComponent(d.messageId), { reaction: on ? r[0] : 'NEUTRAL' }).then(function () {
          box.querySelectorAll('button').forEach(function (o) { o.setAttribute('aria-pressed', 'false'); });
          b.setAttribute('aria-pressed', String(on));
        }, fail);
      });
      box.appendChild(b);
    });
    return box;
  }

  // askEmail turns the input into an email field while the bot's last
  // words ask for an email address.
  function askEmail(d) {
    var text = (d.answer && d.answer.text) || '';
    var asks = /e-?mail/i.test(text) && /\?\s*$/.test(text);
    input.type = asks ? 'email' : 'text';
    input.setAttribute('autocomplete', asks ? 'email' : 'off');
    inputLabel.textContent = asks ? t('email') : t('message');
  }

  function addItem(who, child, id) {
    var li = el('div', { 'class': 'item ' + who });
    if (id) li.dataset.id = id;
    if (child) li.appendChild(child);
    log.appendChild(li);
    state.started = state.started || who === 'user';
    scrollDown();
    return li;
  }

  function scrollDown() { log.scrollTop = log.scrollHeight; }

  // showPrompts offers the quick prompts before the first message, and
  // the follow-up prompts after an answer.
  function showPrompts(afterAnswer) {
    prompts.textContent = '';
    var cb = state.chatbot || {};
    var list = afterAnswer || state.started || log.querySelector('.item.user') ? cb.nextSuggestions : cb.suggestions;
    if (state.mode === 'AGENT') list = [];
    (list || []).forEach(function (p) {
      if (p.link) prompts.appendChild(link(p.link, p.title));
      else prompts.appendChild(el('button', { type: 'button', 'class': 'chip', onclick: function () {
        if (p.isEscalationPrompt) escalate();
        else send(p.description || p.title, null, p.title);
      } }, p.title));
    });
  }

  function sendTyped() {
    var text = input.value.trim();
    if (!text) return;
    input.value = '';
    send(text);
  }

  // send sends the user's message (or follows a goto button) and shows
  // it at once; the answer arrives over the thread's events. A message
  // sent while the thread is being made (the window just opened, or the
  // kiosk started over, on a slow network) goes once it is there.
  function send(text, goto, shown) {
    if (!state.thread && !starting) return;
    alertBox.textContent = '';
    prompts.textContent = '';
    // The choices offered before are answered: a second tap would order
    // twice.
    log.querySelectorAll('.chips .chip, .buttons .chip').forEach(function (b) { b.disabled = true; });
    state.pending.push(text);
    addItem('user', bubble('user', shown || text));
    if (state.mode !== 'AGENT') typing.hidden = false;
    function post() {
      if (!state.thread) { // the thread could not be made: fail said so
        typing.hidden = true;
        return;
      }
      var body = { message: text, threadId: state.thread };
      if (goto) body['goto'] = goto;
      return request('POST', '/message', body);
    }
    (state.thread ? Promise.resolve(post()) : starting.then(post)).catch(function (err) {
      typing.hidden = true;
      fail(err);
    });
  }

  function escalate() {
    if (!state.thread) return;
    request('POST', '/threads/' + encodeURIComponent(state.thread) + '/escalate', {}).then(function () {
      setMode('AGENT', true);
      prompts.textContent = '';
    }, fail);
  }

  texts();
  if (kiosk) start();
})();
