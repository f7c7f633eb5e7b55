// The operator dashboard: users (search, filters, tags, segments, CSV
// import), the editors of automated messages (their conditions checked as
// typed) and of Q&A, and statistics drawn as SVG. It calls Userbot's
// operations over POST /chatbots/{chatbotId}/userbot/{operation}, and over
// the socket /ws for an import, whose progress only the socket reports.
import { $, el, clear, Session, APIError, signIn, when, announce } from '../lib/parley.js';

const session = new Session('parley.dashboard.token');
const state = { bot: '', segments: [], next: '', selected: new Set(), missing: new Set() };

// op calls one of Userbot's operations on the chosen bot.
async function op(name, payload) {
  const path = '/chatbots/' + encodeURIComponent(state.bot) + '/userbot/' + name;
  return (await session.call('POST', path, payload)).data;
}

async function switchBot(bot) {
  state.bot = bot;
  editAutomated(null, false);
  editQA(null, false);
  await Promise.all([loadLabels(), searchUsers(false)]);
  loadTab();
}

// loadTab reads what the open tab shows, when it is not the users'.
function loadTab() {
  if (!state.bot) return;
  if (!$('stats').hidden) loadStats();
  if (!$('automated').hidden) loadAutomated();
  if (!$('qa').hidden) searchQA(false);
}

// failed reports an error in the status line and returns it.
function failed(what, err) {
  announce(what + ': ' + err);
  return err;
}

// --- tabs -------------------------------------------------------------------

function showTab() {
  const name = (location.hash || '#users').slice(1);
  for (const a of document.querySelectorAll('[data-tab]')) {
    const on = a.dataset.tab === name;
    a.setAttribute('aria-current', on ? 'page' : 'false');
    $(a.dataset.tab).hidden = !on;
  }
  loadTab();
}
window.addEventListener('hashchange', showTab);

// --- users ------------------------------------------------------------------

async function loadLabels() {
  try {
    const [tags, segs] = await Promise.all([op('chatusers.get-bot-tags'), op('chatusers.get-bot-segments')]);
    state.segments = segs.segments;
    fillSelect($('f-tag'), tags.tags.map(t => [t.name, t.name + ' (' + t.users + ')']));
    fillSelect($('f-segment'), segs.segments.map(s => [s.id, s.name + ' (' + s.members + ')']));
    const tl = clear($('tag-list'));
    for (const t of tags.tags) tl.append(el('li', {}, t.name + ' · ' + t.users));
    if (!tags.tags.length) tl.append(el('li', { class: 'muted' }, 'no tags yet'));
    const sl = clear($('segment-list'));
    for (const s of segs.segments) {
      sl.append(el('li', {}, el('span', {}, s.name), ' ',
        el('span', { class: 'muted' }, s.members + ' members' + (s.filter ? ', saved filter' : '')), ' ',
        el('button', { type: 'button', class: 'secondary small', 'aria-label': 'Delete segment ' + s.name,
          onclick: () => deleteSegment(s) }, 'Delete')));
    }
  } catch (err) {
    failed('Could not read tags and segments', err);
  }
}

function fillSelect(sel, options) {
  const keep = sel.value;
  sel.replaceChildren(sel.options[0]);
  for (const [v, label] of options) sel.append(el('option', { value: v }, label));
  sel.value = options.some(([v]) => v === keep) ? keep : '';
}

// currentFilter is the search as a saved filter: every condition holds.
function currentFilter() {
  const filters = [];
  const q = $('q').value.trim();
  if (q) filters.push({ field: q.includes('@') ? 'attributes.default_email' : 'attributes.default_name', op: 'contains', value: q });
  if ($('f-tag').value) filters.push({ field: 'tag', op: 'equals', value: $('f-tag').value });
  if ($('f-segment').value) filters.push({ field: 'segment', op: 'equals', value: $('f-segment').value });
  return { match: 'all', filters };
}

async function searchUsers(more) {
  const payload = { limit: 40, sort: 'lastSeen', order: 'desc', ...currentFilter() };
  if (more) payload.after = state.next;
  let page;
  try {
    page = await op('chatusers.get', payload);
  } catch (err) {
    return failed('Could not read the users', err);
  }
  const rows = $('user-rows');
  if (!more) { clear(rows); state.selected.clear(); $('select-all').checked = false; }
  const segName = id => (state.segments.find(s => s.id === id) || { name: id }).name;
  for (const u of page.users) {
    const a = u.attributes;
    const name = a.default_name || '';
    rows.append(el('tr', { 'data-user': u.id },
      el('td', {}, el('input', { type: 'checkbox', 'aria-label': 'Select ' + (name || u.userId || u.id),
        onchange: e => { e.target.checked ? state.selected.add(u.id) : state.selected.delete(u.id); } })),
      el('td', {}, name), el('td', {}, a.default_email || ''), el('td', {}, u.userId),
      el('td', {}, el('ul', { class: 'tags' }, u.tags.map(t => el('li', {}, t)))),
      el('td', {}, u.segments.map(segName).join(', ')),
      el('td', {}, String(u.messages)), el('td', {}, when(u.lastSeen))));
  }
  state.next = page.next || '';
  $('more-users').hidden = !state.next;
  $('users-empty').hidden = rows.children.length > 0;
  announce(rows.children.length + ' users shown.');
}

$('user-search').addEventListener('submit', e => { e.preventDefault(); searchUsers(false); });
$('f-tag').addEventListener('change', () => searchUsers(false));
$('f-segment').addEventListener('change', () => searchUsers(false));
$('more-users').addEventListener('click', () => searchUsers(true));
$('select-all').addEventListener('change', e => {
  for (const box of $('user-rows').querySelectorAll('input[type=checkbox]')) {
    box.checked = e.target.checked;
    box.dispatchEvent(new Event('change'));
  }
});

async function tagSelected(operation) {
  const tag = $('tag-name').value.trim();
  if (!tag || !state.selected.size) return announce('Choose users and a tag first.');
  try {
    const r = await op(operation, { tags: [tag], users: [...state.selected] });
    announce((operation.endsWith('add-tag') ? 'Tagged ' : 'Untagged ') + r.users + ' users with ' + tag + '.');
    await Promise.all([loadLabels(), searchUsers(false)]);
  } catch (err) {
    failed('Could not change the tags', err);
  }
}
$('tagging').addEventListener('submit', e => { e.preventDefault(); tagSelected('chatusers.add-tag'); });
$('untag').addEventListener('click', () => tagSelected('chatusers.remove-tag'));

$('segmenting').addEventListener('submit', async e => {
  e.preventDefault();
  const name = $('segment-name').value.trim();
  try {
    const s = await op('chatusers.create-segment', { name, filter: currentFilter() });
    announce('Saved segment ' + s.name + ' with ' + s.members + ' members.');
    $('segment-name').value = '';
    await loadLabels();
  } catch (err) {
    failed('Could not save the segment', err);
  }
});

async function deleteSegment(s) {
  if (!confirm('Delete the segment ' + s.name + '? Its users stay.')) return;
  try {
    await op('chatusers.remove-segment', [s.id]);
    announce('Deleted segment ' + s.name + '.');
    await Promise.all([loadLabels(), searchUsers(false)]);
  } catch (err) {
    failed('Could not delete the segment', err);
  }
}

// --- CSV import over the socket ---------------------------------------------

// socketCall opens /ws, logs in, chooses the bot and sends the payloads on
// channel one by one, each after the success reply to the one before,
// calling onFrame with every reply; it resolves with the last reply's data.
// payloads may be an async iterable.
function socketCall(channel, payloads, onFrame) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
    const steps = [
      ['apiLogin', 'apiLogin ' + session.token],
      ['sitekey.undefined', 'sitekey undefined ' + state.bot],
    ];
    const frames = (async function* () { yield* payloads; })();
    let step = 0, data;
    const next = async () => {
      if (step < steps.length) return ws.send(steps[step][1]);
      const { value, done } = await frames.next();
      if (!done) return ws.send(channel + ' ' + JSON.stringify(value));
      ws.onclose = null;
      ws.close();
      resolve(data);
    };
    const fail = err => {
      ws.onclose = null;
      ws.close();
      reject(err);
    };
    ws.onopen = () => next().catch(fail);
    ws.onerror = () => reject(new Error('the connection failed'));
    ws.onclose = () => reject(new Error('the connection closed'));
    ws.onmessage = ev => {
      const r = JSON.parse(ev.data);
      if (onFrame) onFrame(r);
      if (r.channel !== (step < steps.length ? steps[step][0] : channel)) return; // a push, or progress
      if (r.status.type !== 'success') return fail(new APIError(r.status.code, r));
      step++;
      data = r.data;
      next().catch(fail);
    };
  });
}

// The bytes of a chunk of an import: 800 KB in base64, within the socket's
// frames of 1 MiB.
const chunkBytes = 600000;

// csvChunks yields a file as the chunks of an upload (chatusers.import with
// upload, chunk and more), read as they are sent, so that a file of any size
// goes in; base64 lets a chunk end anywhere, even within a character.
async function* csvChunks(file) {
  const upload = 'dashboard-' + Date.now();
  for (let at = 0, n = 1; n === 1 || at < file.size; at += chunkBytes, n++) {
    const bytes = new Uint8Array(await file.slice(at, at + chunkBytes).arrayBuffer());
    yield { upload, chunk: n, more: at + chunkBytes < file.size, base64: toBase64(bytes) };
  }
}

function toBase64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

$('import').addEventListener('submit', async e => {
  e.preventDefault();
  const file = $('csv').files[0];
  if (!file) return;
  const bar = $('import-progress');
  bar.value = 0;
  clear($('import-errors'));
  $('import-result').textContent = 'Importing ' + file.name + '…';
  const total = Math.max(file.size, 1);
  try {
    const res = await socketCall('chatusers.import', csvChunks(file), r => {
      if (r.channel === 'chatusers.import.progress') bar.value = Math.min(99, Math.round(100 * r.data.bytes / total));
    });
    bar.value = 100;
    $('import-result').textContent = `Imported ${res.rows} rows: ${res.created} created, ${res.updated} updated, ${res.failed} refused.`;
    for (const er of res.errors) {
      $('import-errors').append(el('li', {}, 'Line ' + er.line + (er.column ? ', ' + er.column : '') + ': ' + er.reason));
    }
    await Promise.all([loadLabels(), searchUsers(false)]);
  } catch (err) {
    $('import-result').textContent = 'The import failed: ' + err;
  }
});

// --- editors: automated messages and Q&A --------------------------------------

// fieldErrors shows an operation's refusal next to the field it names
// (an element with data-field in form), else in the form's alert line.
function fieldErrors(form, alertLine, err) {
  clearErrors(form);
  const field = err && err.field ? err.field.replace(/\[\d+\]$/, '') : '';
  const box = field && form.querySelector(`[data-field="${CSS.escape(field)}"]`);
  if (!box) {
    alertLine.textContent = String(err);
    return;
  }
  box.textContent = err.message;
  const input = $(box.id.replace(/-error$/, ''));
  if (input) {
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  }
}

function clearErrors(form) {
  for (const e of form.querySelectorAll('[data-field], .error[role=alert]')) e.textContent = '';
  for (const e of form.querySelectorAll('[aria-invalid]')) e.removeAttribute('aria-invalid');
}

const lines = s => s.split('\n').map(x => x.trim()).filter(Boolean);

// A condition is checked as it is typed: conditions.check, a moment
// after the last key, the latest answer only.
function conditionChecker(input, box, kind) {
  let timer = 0, asked = 0;
  const check = async () => {
    const n = ++asked;
    const condition = input.value;
    let r;
    try {
      r = await op('conditions.check', { kind, condition });
    } catch (err) {
      return; // the save reports it
    }
    if (n !== asked) return;
    box.textContent = r.valid ? '' : (r.line ? `Line ${r.line}, column ${r.column}: ` : '') + r.message;
    if (r.valid) input.removeAttribute('aria-invalid');
    else input.setAttribute('aria-invalid', 'true');
  };
  input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(check, 300); });
  return { check, reset() { clearTimeout(timer); asked++; box.textContent = ''; input.removeAttribute('aria-invalid'); } };
}

// Automated messages.

const triggerWords = {
  start: () => 'A conversation starts',
  page_view: t => 'A page is viewed' + (t.after ? `, after ${t.after} s` : ''),
  idle: t => `Idle for ${t.after || 0} s`,
  event: t => 'Event ' + t.event,
  schedule: t => t.at ? 'At ' + when(t.at) : 'Every day at ' + t.daily + (t.days && t.days.length ? ' (' + t.days.join(', ') + ')' : ''),
  meeting: t => (t.after ? `${t.after} s before` : 'When') + ' a meeting starts',
};

const am = { list: [], editing: null };
const amCondition = conditionChecker($('am-condition'), $('am-condition-error'), 'automated-message');

async function loadAutomated() {
  try {
    am.list = (await op('automated-messages.get')).messages;
  } catch (err) {
    return failed('Could not read the automated messages', err);
  }
  const rows = clear($('am-rows'));
  for (const m of am.list) {
    const says = [m.text || (m.goto ? 'The answer of interaction ' + m.goto : ''), ...(m.quickReplies || []).map(q => '[' + q + ']')].join(' ');
    rows.append(el('tr', { 'data-id': m.id, class: m.disabled ? 'muted' : '' },
      el('td', {}, m.name, m.disabled ? el('span', { class: 'muted' }, ' (disabled)') : null),
      el('td', {}, (triggerWords[m.trigger.on] || (() => m.trigger.on))(m.trigger)),
      el('td', {}, el('code', {}, m.condition || '')),
      el('td', {}, says),
      el('td', { class: 'actions' },
        el('button', { type: 'button', class: 'secondary small', 'aria-label': 'Edit ' + m.name, onclick: () => editAutomated(m) }, 'Edit'),
        el('button', { type: 'button', class: 'secondary small', 'aria-label': 'Delete ' + m.name, onclick: () => deleteAutomated(m) }, 'Delete'))));
  }
  $('am-empty').hidden = am.list.length > 0;
}

// showTrigger shows the fields the chosen trigger uses.
function showTrigger() {
  const on = $('am-on').value;
  for (const f of $('am-form').querySelectorAll('[data-on]')) f.hidden = !f.dataset.on.split(' ').includes(on);
}
$('am-on').addEventListener('change', showTrigger);

// localTime turns an RFC 3339 time into a datetime-local value, and back.
const pad = n => String(n).padStart(2, '0');
function localTime(ts) {
  const d = new Date(ts);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// editAutomated fills the form with m, or empties it for a new message.
function editAutomated(m, focus = true) {
  am.editing = m ? m.id : null;
  const t = m ? m.trigger : { on: 'page_view' };
  $('am-form-h').textContent = m ? 'Edit ' + m.name : 'New automated message';
  $('am-name').value = m ? m.name : '';
  $('am-on').value = t.on;
  $('am-event').value = t.event || '';
  $('am-after').value = t.after || '';
  $('am-at').value = t.at ? localTime(t.at) : '';
  $('am-daily').value = t.daily || '';
  $('am-condition').value = m ? m.condition || '' : '';
  $('am-text').value = m ? m.text || '' : '';
  $('am-replies').value = m ? (m.quickReplies || []).join('\n') : '';
  $('am-repeat').value = (m && m.repeat) || 'once';
  $('am-priority').value = m ? m.priority || 0 : 0;
  $('am-agent').checked = !!(m && m.duringAgent);
  $('am-disabled').checked = !!(m && m.disabled);
  am.kept = m ? { goto: m.goto, maxTimes: m.maxTimes, minInterval: m.minInterval, days: t.days } : {};
  clearErrors($('am-form'));
  amCondition.reset();
  showTrigger();
  if (focus) $('am-name').focus();
}
$('am-new').addEventListener('click', () => editAutomated(null));

$('am-form').addEventListener('submit', async e => {
  e.preventDefault();
  const on = $('am-on').value;
  const trigger = { on };
  if (on === 'event') trigger.event = $('am-event').value.trim();
  if (['page_view', 'idle', 'meeting'].includes(on) && $('am-after').value) trigger.after = Number($('am-after').value);
  if (on === 'schedule') {
    if ($('am-at').value) trigger.at = new Date($('am-at').value).toISOString();
    else if ($('am-daily').value) trigger.daily = $('am-daily').value;
    if (am.kept.days) trigger.days = am.kept.days;
  }
  const m = {
    name: $('am-name').value.trim(), trigger, condition: $('am-condition').value.trim(),
    text: $('am-text').value.trim(), quickReplies: lines($('am-replies').value), repeat: $('am-repeat').value,
    priority: Number($('am-priority').value) || 0, duringAgent: $('am-agent').checked, disabled: $('am-disabled').checked,
    goto: am.kept.goto, maxTimes: am.kept.maxTimes, minInterval: am.kept.minInterval,
  };
  if (am.editing) m.id = am.editing;
  try {
    const saved = await op('automated-messages.save', m);
    announce('Saved the automated message ' + saved.name + '.');
    await loadAutomated();
    editAutomated(null);
  } catch (err) {
    fieldErrors($('am-form'), $('am-error'), err);
  }
});

async function deleteAutomated(m) {
  if (!confirm('Delete the automated message ' + m.name + '?')) return;
  try {
    await op('automated-messages.delete', { ids: [m.id] });
    announce('Deleted the automated message ' + m.name + '.');
    if (am.editing === m.id) editAutomated(null);
    await loadAutomated();
  } catch (err) {
    failed('Could not delete the automated message', err);
  }
}

// Q&A.

const qa = { editing: null, offset: 0 };

async function searchQA(more) {
  const query = $('qa-q').value.trim();
  const offset = more ? qa.offset : 0;
  let page;
  try {
    page = await op('qeafilter.search', { query, offset, limit: 50 });
  } catch (err) {
    return failed('Could not read the Q&A', err);
  }
  const rows = $('qa-rows');
  if (!more) clear(rows);
  for (const q of page.interactions) {
    rows.append(el('tr', { 'data-id': q.id },
      el('td', {}, q.label),
      el('td', {}, el('ul', { class: 'list' }, q.questions.map(x => el('li', {}, x)))),
      el('td', {}, q.answer),
      el('td', { class: 'actions' },
        el('button', { type: 'button', class: 'secondary small', 'aria-label': 'Edit ' + q.label, onclick: () => editQA(q) }, 'Edit'),
        el('button', { type: 'button', class: 'secondary small', 'aria-label': 'Delete ' + q.label, onclick: () => deleteQA(q) }, 'Delete'))));
  }
  qa.offset = offset + page.interactions.length;
  $('qa-more').hidden = qa.offset >= page.count;
  $('qa-empty').hidden = rows.children.length > 0;
}
$('qa-search').addEventListener('submit', e => { e.preventDefault(); searchQA(false); });
$('qa-more').addEventListener('click', () => searchQA(true));

// editQA fills the form with q, or empties it for a new Q&A.
function editQA(q, focus = true) {
  qa.editing = q ? q.id : null;
  $('qa-form-h').textContent = q ? 'Edit ' + q.label : 'New Q&A';
  $('qa-label').value = q ? q.label : '';
  $('qa-questions').value = q ? q.questions.join('\n') : '';
  $('qa-answer').value = q ? q.answer : '';
  clearErrors($('qa-form'));
  if (focus) $('qa-label').focus();
}
$('qa-new').addEventListener('click', () => editQA(null));

$('qa-form').addEventListener('submit', async e => {
  e.preventDefault();
  const q = { label: $('qa-label').value.trim(), questions: lines($('qa-questions').value), answer: $('qa-answer').value.trim() };
  if (qa.editing) q.id = qa.editing;
  try {
    const saved = await op('qeafilter.save', q);
    announce('Saved the Q&A ' + saved.label + ': the bot answers it now.');
    await searchQA(false);
    editQA(null);
  } catch (err) {
    fieldErrors($('qa-form'), $('qa-error'), err);
  }
});

async function deleteQA(q) {
  if (!confirm('Delete the Q&A ' + q.label + '?')) return;
  try {
    await op('qeafilter.delete', { id: q.id });
    announce('Deleted the Q&A ' + q.label + '.');
    if (qa.editing === q.id) editQA(null);
    await searchQA(false);
  } catch (err) {
    failed('Could not delete the Q&A', err);
  }
}

// --- statistics -----------------------------------------------------------------

const day = d => d.toISOString().slice(0, 10);

function setRange(days) {
  const to = new Date();
  const from = new Date(to.getTime() - (days - 1) * 864e5);
  $('from').value = day(from);
  $('to').value = day(to);
}
setRange(30);

for (const b of document.querySelectorAll('#range [data-days]')) {
  b.addEventListener('click', () => { setRange(Number(b.dataset.days)); loadStats(); });
}
$('range').addEventListener('submit', e => { e.preventDefault(); loadStats(); });

async function loadStats() {
  const range = { from: $('from').value, to: $('to').value };
  let days, top;
  try {
    [days, top] = await Promise.all([op('rawstats.all', range), op('rawstats.top-fallbacks', { ...range, limit: 20 })]);
  } catch (err) {
    return failed('Could not read the statistics', err);
  }
  days = days.days;
  const labels = days.map(d => d.date);
  const one = (title, key, cls) => chart(title, labels, [{ name: title, cls, values: days.map(d => d[key]) }]);
  clear($('charts')).append(
    one('Messages', 'messages', 's0'),
    one('Sessions', 'sessions', 's1'),
    one('Fallbacks', 'fallbacks', 's2'),
    one('Hand-offs to a person', 'handoffs', 's3'),
    chart('Feedback', labels, [
      { name: 'Positive reactions', cls: 'good', values: days.map(d => d.reactions.positive) },
      { name: 'Negative reactions', cls: 'bad', values: days.map(d => d.reactions.negative) },
      { name: 'Feedback given', cls: 's1', values: days.map(d => d.feedback) }]),
    chart('NPS answers', labels, [
      { name: 'Detractors (0–6)', cls: 'bad', values: days.map(d => d.nps.negative) },
      { name: 'Passives (7–8)', cls: 'neutral', values: days.map(d => d.nps.neutral) },
      { name: 'Promoters (9–10)', cls: 'good', values: days.map(d => d.nps.positive) }], true));
  const tb = clear($('fallbacks'));
  for (const m of top.messages) tb.append(el('tr', {}, el('td', {}, m.text), el('td', {}, String(m.count))));
  if (!top.messages.length) tb.append(el('tr', {}, el('td', { colspan: 2, class: 'muted' }, 'None in this period.')));
}

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attrs, ...kids) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  for (const k of kids) e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  return e;
}

let chartSeq = 0;

// chart draws series of per-day values as bars, side by side or stacked,
// with a legend and the numbers in a table for those who cannot see it.
function chart(title, labels, series, stacked) {
  const W = 420, H = 180, left = 34, bottom = 24, top = 8;
  const n = labels.length;
  const totals = labels.map((_, i) => series.reduce((s, x) => s + x.values[i], 0));
  const max = Math.max(1, ...(stacked ? totals : series.flatMap(s => s.values)));
  const ticks = [...new Set([0, Math.round(max / 2), max])];
  const slot = (W - left - 8) / n;
  const groupW = Math.max(1, slot * 0.8);
  const barW = stacked ? groupW : groupW / series.length;
  const y = v => H - bottom - (H - bottom - top) * v / max;
  const id = 'chart-' + (++chartSeq);
  const sums = series.map(s => s.name + ' ' + s.values.reduce((a, b) => a + b, 0)).join(', ');
  const g = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': id + '-t ' + id + '-d', class: 'chart' },
    svg('title', { id: id + '-t' }, title), svg('desc', { id: id + '-d' }, `From ${labels[0]} to ${labels[n - 1]}: ${sums}.`));
  for (const v of ticks) {
    g.append(svg('line', { x1: left, x2: W - 4, y1: y(v), y2: y(v), class: 'grid' }),
      svg('text', { x: left - 4, y: y(v) + 4, class: 'axis', 'text-anchor': 'end' }, String(Math.round(v))));
  }
  labels.forEach((label, i) => {
    let base = 0;
    series.forEach((s, k) => {
      const v = s.values[i];
      const x = left + i * slot + (slot - groupW) / 2 + (stacked ? 0 : k * barW);
      const y0 = stacked ? y(base + v) : y(v);
      const h = stacked ? y(base) - y(base + v) : H - bottom - y(v);
      if (v > 0) g.append(svg('rect', { x, y: y0, width: Math.max(barW - 1, 1), height: h, class: s.cls },
        svg('title', {}, `${label}: ${s.name} ${v}`)));
      base += v;
    });
    if (i === 0 || i === n - 1 || (n > 4 && i === Math.floor(n / 2))) {
      const anchor = i === 0 ? 'start' : i === n - 1 ? 'end' : 'middle';
      const x = i === 0 ? left : i === n - 1 ? W - 4 : left + i * slot + slot / 2;
      g.append(svg('text', { x, y: H - 6, class: 'axis', 'text-anchor': anchor }, label));
    }
  });
  const legend = el('ul', { class: 'legend' }, series.map(s => el('li', {}, el('span', { class: 'key ' + s.cls }), s.name)));
  const table = el('table', {},
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Day'), series.map(s => el('th', { scope: 'col' }, s.name)))),
    el('tbody', {}, labels.map((l, i) => el('tr', {}, el('th', { scope: 'row' }, l), series.map(s => el('td', {}, String(s.values[i])))))));
  return el('figure', { class: 'card' }, el('figcaption', {}, title), g, legend,
    el('details', {}, el('summary', {}, 'The numbers of ' + title.toLowerCase()), table));
}

showTab();
signIn(session, {
  wrongScope: 'This token may not operate the bot: use the developer token.',
  // Only the developer token may run operations: check it once.
  check: async bot => { state.bot = bot; await op('chatusers.get-bot-tags'); },
  ready: switchBot,
  leave() {},
});
