// The agent console: conversations waiting for a person first, taken over,
// answered and handed back to the bot over SiteGPT's threads API
// (/v0/chatbots/{chatbotId}/...), live over the bot's event stream.
import { $, el, clear, Session, signIn, stream, when, announce } from '../lib/parley.js';

const session = new Session('parley.console.token');
const state = {
  bot: '',          // chatbotId
  threads: new Map(), // threadId → summary
  open: null,       // the open thread: {id, mode, seqs: Set, userId}
  opening: null,    // the thread being read to open: {id, early: its live events meanwhile}
  live: null,       // the event stream
  reload: 0,        // timer of a pending reload of the list
};

const base = () => '/v0/chatbots/' + encodeURIComponent(state.bot);
const threadPath = id => base() + '/threads/' + encodeURIComponent(id);

// A thread needs a person when the bot handed it over (AGENT mode); it is
// unread when it has messages no agent has read.
const needsPerson = t => t.mode === 'AGENT';
const unread = t => Math.max(0, (t.totalMessages || 0) - (t.totalMessagesRead || 0));

function userName(u, fallbackId) {
  if (u && u.name) return u.name;
  if (u && u.email) return u.email;
  return 'Visitor ' + String(fallbackId || '').slice(-6);
}

async function switchBot(bot) {
  state.bot = bot;
  if (state.live) state.live.stop();
  closeThread();
  state.threads.clear();
  await loadThreads();
  state.live = stream(session, base() + '/events', onEvent, onLive);
}

function onLive(up, err) {
  const p = $('live');
  p.textContent = up ? 'live' : 'reconnecting…';
  p.classList.toggle('up', !!up);
  if (err) { $('signout').click(); announce('Your token was refused: sign in again.'); }
  else if (up) scheduleReload(); // catch up with what happened while away
}

// --- the list of conversations --------------------------------------------

// loadThreads reads the newest threads and every thread in AGENT mode, so
// that an old conversation waiting for a person is never off the list.
async function loadThreads() {
  try {
    const [recent, agent] = await Promise.all([
      session.call('GET', base() + '/threads?limit=100'),
      session.call('GET', base() + '/threads?limit=100&mode=AGENT'),
    ]);
    state.threads.clear();
    for (const t of [...recent.data.threads, ...agent.data.threads]) state.threads.set(t.threadId, t);
    renderQueue();
  } catch (err) {
    announce('Could not read the conversations: ' + err);
  }
}

function scheduleReload() {
  clearTimeout(state.reload);
  state.reload = setTimeout(loadThreads, 300);
}

function sorted() {
  return [...state.threads.values()].sort((a, b) =>
    (needsPerson(b) - needsPerson(a)) || ((unread(b) > 0) - (unread(a) > 0)) ||
    String(b.updatedAt).localeCompare(String(a.updatedAt)));
}

function lastText(t) {
  const m = t.lastMessage;
  if (!m) return '';
  if (m.answer) return m.answer.text;
  if (m.question) return m.question.text;
  return m.systemMessageType ? systemText(m.systemMessageType) : '';
}

function renderQueue() {
  const list = clear($('threads'));
  const waitingOnly = $('waiting-only').checked;
  let shown = 0;
  for (const t of sorted()) {
    if (waitingOnly && !needsPerson(t)) continue;
    shown++;
    const n = unread(t);
    const badge = needsPerson(t) ? (t.escalated ? 'waiting for a person' : 'with an agent') : 'with the bot';
    list.append(el('li', { class: needsPerson(t) ? 'needs' : '' },
      el('button', {
        type: 'button', class: 'thread', 'data-thread': t.threadId,
        'aria-current': state.open && state.open.id === t.threadId ? 'true' : null,
        onclick: () => openThread(t.threadId),
      },
      el('span', { class: 'who' }, userName(t.chatUser, t.threadId)),
      el('span', { class: 'badge ' + (needsPerson(t) ? 'agent' : 'ai') }, badge),
      n ? el('span', { class: 'unread' }, String(n), el('span', { class: 'visually-hidden' }, ' unread')) : null,
      el('span', { class: 'last' }, lastText(t)))));
  }
  $('queue-empty').hidden = shown > 0;
}

$('waiting-only').addEventListener('change', renderQueue);

// --- one conversation -----------------------------------------------------

function closeThread() {
  state.open = state.opening = null;
  clear($('messages'));
  $('conv-h').textContent = 'No conversation open';
  $('conv-mode').textContent = 'Choose a conversation on the left.';
  $('conv-actions').hidden = true;
  $('reply').hidden = true;
  renderUser(null, null);
}

// openThread shows a conversation: as read, then what the live stream
// brought while it was being read, which the reading may have missed.
async function openThread(id) {
  const opening = { id, early: [] };
  state.opening = opening;
  let th;
  try {
    th = (await session.call('GET', threadPath(id))).data.thread;
  } catch (err) {
    if (state.opening === opening) state.opening = null;
    announce('Could not open the conversation: ' + err);
    return;
  }
  if (state.opening !== opening) return; // another was chosen meanwhile
  state.opening = null;
  state.open = { id: th.threadId, mode: th.mode, seqs: new Set(), userId: th.chatUserId };
  clear($('messages'));
  for (const m of th.messages) for (const part of halves(m)) addMessage(part);
  let mode = th.mode, escalated = th.escalated;
  for (const [name, d] of opening.early) {
    if (name === 'message') for (const part of halves(d)) addMessage(part);
    else ({ mode, escalated } = d);
  }
  $('conv-h').textContent = 'Conversation with ' + userName(th.chatUser, th.threadId);
  showMode(mode, escalated);
  $('conv-actions').hidden = false;
  $('reply').hidden = false;
  renderQueue();
  renderUser(th.chatUser, th);
  markRead();
  $('reply-text').focus();
}

// halves splits a message of Fetch Thread (a user's question and the bot's
// answer together) into the two messages it stands for, as the live stream
// sends them.
function halves(m) {
  const out = [];
  const q = m.question;
  if (q && q.trigger) out.push({ seq: m.answer ? m.seq - 1 : m.seq, kind: 'system', text: 'Event: ' + q.trigger });
  else if (q) out.push({ seq: m.answer ? m.seq - 1 : m.seq, kind: 'user', text: q.text, ts: q.timestamp });
  if (m.answer) {
    const kind = m.messageType === 'AGENT_MESSAGE' ? 'agent' : 'bot';
    out.push({ seq: m.seq, kind, text: m.answer.text, ts: m.answer.timestamp, agent: m.agentName });
  }
  if (m.messageType === 'SYSTEM_MESSAGE') out.push({ seq: m.seq, kind: 'system', text: systemText(m.systemMessageType) });
  return out;
}

const systemTexts = {
  CONVERSATION_ESCALATED: 'The visitor asked for a person.',
  PROVIDED_EMAIL: 'The visitor gave an email address.',
  EMAIL_VERIFIED: 'The visitor verified their email address.',
  ENTERED_WRONG_OTP: 'The visitor entered a wrong code.',
  EXCEEDED_USAGE_LIMITS: 'The conversation reached its message limit.',
  PROBLEMS_WITH_UPSTREAM_PROVIDER: 'A service the bot relies on failed.',
};
const systemText = t => systemTexts[t] || (t || 'System message').replace(/_/g, ' ').toLowerCase();

const speakers = { user: 'Visitor', bot: 'Bot', agent: 'Agent', system: 'System' };

function addMessage(p) {
  const o = state.open;
  if (!o || o.seqs.has(p.seq)) return false;
  o.seqs.add(p.seq);
  const who = p.kind === 'agent' && p.agent ? p.agent : speakers[p.kind];
  const li = el('li', { class: 'msg ' + p.kind, 'data-seq': p.seq },
    el('span', { class: 'from' }, who),
    p.ts ? el('time', { datetime: p.ts }, when(p.ts)) : null,
    el('p', { class: 'text' }, p.text));
  // Keep the list in thread order even when events arrive out of it.
  const list = $('messages');
  const after = [...list.children].find(c => Number(c.dataset.seq) > p.seq);
  list.insertBefore(li, after || null);
  if (!after) li.scrollIntoView({ block: 'nearest' });
  return true;
}

function showMode(mode, escalated) {
  state.open.mode = mode;
  $('conv-mode').textContent = mode === 'AGENT'
    ? (escalated ? 'Waiting for a person: the bot is silent.' : 'An agent has this conversation: the bot is silent.')
    : 'The bot is answering. Take over to answer yourself.';
  $('take-over').disabled = mode === 'AGENT';
  $('hand-back').disabled = mode !== 'AGENT';
}

let readTimer = 0;
function markRead() {
  clearTimeout(readTimer);
  const id = state.open && state.open.id;
  if (!id || document.hidden) return;
  readTimer = setTimeout(() => {
    session.call('POST', threadPath(id) + '/read').catch(() => {});
  }, 200);
}
document.addEventListener('visibilitychange', markRead);

async function act(path, body, done) {
  const id = state.open.id;
  try {
    await session.call('POST', threadPath(id) + path, body);
    announce(done);
  } catch (err) {
    announce('Failed: ' + err);
    throw err;
  }
}

$('take-over').addEventListener('click', () =>
  act('/take-over', undefined, 'You have the conversation; the bot is silent.').then(() => showMode('AGENT', false), () => {}));
$('hand-back').addEventListener('click', () =>
  act('/switch-to-ai', undefined, 'The bot has the conversation again.').then(() => showMode('AI', false), () => {}));

$('reply').addEventListener('submit', async e => {
  e.preventDefault();
  const box = $('reply-text');
  const text = box.value.trim();
  if (!text || !state.open) return;
  box.disabled = true;
  try {
    if (state.open.mode !== 'AGENT') {
      await act('/take-over', { message: text }, 'Sent; you have the conversation.');
      showMode('AGENT', false);
    } else {
      await session.call('POST', base() + '/message', { message: text, threadId: state.open.id, from: 'AGENT' });
      announce('Sent.');
    }
    box.value = '';
  } catch (err) {
    announce('Not sent: ' + err);
  } finally {
    box.disabled = false;
    box.focus();
  }
});

$('reply-text').addEventListener('keydown', e => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    $('reply').requestSubmit();
  }
});

// --- the user's details ---------------------------------------------------

async function renderUser(u, th) {
  const dl = clear($('user-details'));
  const tags = clear($('user-tags'));
  const visits = clear($('user-visits'));
  $('user-visits-box').hidden = true;
  $('user-none').hidden = !!u;
  if (!u) return;
  const row = (k, v) => { if (v) dl.append(el('dt', {}, k), el('dd', {}, v)); };
  row('Name', u.name);
  row('Email', u.email);
  row('Phone', u.phoneNumber);
  row('Verified', u.verified ? 'yes' : '');
  row('First seen', when(u.createdAt));
  let d;
  try {
    d = (await session.call('GET', threadPath(th.threadId) + '/user')).data;
  } catch {
    return; // a server without the route: the thread's user is all we have
  }
  if (!state.open || state.open.id !== th.threadId) return;
  row('Last seen', when(d.user.lastSeen));
  row('Messages', String(d.user.messages));
  row('Conversations', String(d.user.conversations));
  for (const [k, v] of Object.entries(d.user.attributes || {})) {
    if (!['default_name', 'default_email', 'default_phone'].includes(k)) row(k.replace(/^default_/, ''), v);
  }
  for (const s of d.segments || []) row('Segment', s.name);
  for (const t of d.user.tags) tags.append(el('li', {}, t));
  if (!d.user.tags.length) tags.append(el('li', { class: 'muted' }, 'none'));
  // The pages the user viewed, newest first: title, address, when.
  $('user-visits-box').hidden = !Array.isArray(d.visits);
  for (const v of d.visits || []) {
    visits.append(el('li', {},
      el('span', { class: 'page' }, v.title || v.url), ' ',
      v.title ? el('span', { class: 'url' }, v.url) : null, ' ',
      el('time', { datetime: v.landedAt }, when(v.landedAt))));
  }
  if (d.visits && !d.visits.length) visits.append(el('li', { class: 'muted' }, 'none recorded'));
}

// --- live events ----------------------------------------------------------

function onEvent(name, d) {
  if (name === 'reset') {
    loadThreads();
    if (state.open) openThread(state.open.id);
    return;
  }
  if (d.chatbotId && d.chatbotId !== state.bot) return;
  const t = state.threads.get(d.threadId);
  if (state.opening && state.opening.id === d.threadId && (name === 'message' || (name === 'thread' && !d.deleted))) {
    state.opening.early.push([name, d]);
  }
  if (name === 'thread') {
    if (d.deleted) {
      state.threads.delete(d.threadId);
      if (state.open && state.open.id === d.threadId) closeThread();
      renderQueue();
      return;
    }
    if (!t) return scheduleReload();
    Object.assign(t, { mode: d.mode, escalated: d.escalated, totalMessages: d.totalMessages, totalMessagesRead: d.totalMessagesRead, updatedAt: new Date().toISOString() });
    if (state.open && state.open.id === d.threadId) showMode(d.mode, d.escalated);
    if (d.mode === 'AGENT' && d.escalated && (!state.open || state.open.id !== d.threadId)) {
      announce(userName(t.chatUser, t.threadId) + ' is waiting for a person.');
    }
    renderQueue();
    return;
  }
  if (name !== 'message') return;
  if (!t) return scheduleReload();
  t.lastMessage = d;
  t.totalMessages = Math.max(t.totalMessages || 0, d.seq);
  t.updatedAt = new Date().toISOString();
  if (state.open && state.open.id === d.threadId) {
    for (const p of halves(d)) {
      if (addMessage(p) && p.kind === 'user') announce(userName(t.chatUser, t.threadId) + ' says: ' + p.text);
    }
    markRead();
  }
  renderQueue();
}

signIn(session, {
  wrongScope: 'This token may not read conversations: use an agent token.',
  ready: switchBot,
  leave() {
    if (state.live) state.live.stop();
    state.live = null;
    closeThread();
    state.threads.clear();
    renderQueue();
  },
});
