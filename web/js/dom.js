// dom.js — small DOM helpers.  Everything is built with createElement and
// textContent: no innerHTML with data, so nothing a user typed can become
// markup, and nothing inline that the CSP would refuse.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function svg(tag, attrs, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

export function clear(el) { while (el.firstChild) el.firstChild.remove(); return el; }

// Case- and accent-insensitive key, keeping one character per character so
// that positions map back onto the original text for highlighting.
export function fold(s) {
  return String(s).normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

// The text with every match of query wrapped in <mark>, as nodes.
export function highlight(text, query) {
  const q = fold(query).trim();
  if (!q) return [text];
  const nfc = String(text).normalize('NFC');
  // fold() may shorten nothing for NFC Spanish text: map by characters.
  const chars = Array.from(nfc);
  const folded = chars.map((c) => fold(c)).join('');
  const starts = [];
  for (let i = folded.indexOf(q); i !== -1; i = folded.indexOf(q, i + q.length)) starts.push(i);
  if (!starts.length) return [text];
  // folded has one char per original char when each fold(c) is length 1
  const out = [];
  let pos = 0;
  for (const s of starts) {
    out.push(chars.slice(pos, s).join(''));
    out.push(h('mark', {}, chars.slice(s, s + q.length).join('')));
    pos = s + q.length;
  }
  out.push(chars.slice(pos).join(''));
  return out;
}

// The DGME's clock: El Salvador, UTC-6 all year (no daylight saving).  The
// server counts a movement's day in it; times show in it too, whatever zone
// the workstation is set to (a booth PC left on UTC showed a movement of 23:30
// as 05:30 of the next day, in that day's list).
const SV_OFFSET_MS = 6 * 3600e3;
// today's date (AAAA-MM-DD) in El Salvador
export function localDay() { return new Date(Date.now() - SV_OFFSET_MS).toISOString().slice(0, 10); }
// a local day and HH:MM as an ISO instant in UTC
export function localToUtc(day, hm) { return new Date(Date.parse(`${day}T${hm}:00Z`) + SV_OFFSET_MS).toISOString().slice(0, 16) + 'Z'; }

export function fmtDate(iso) {
  if (!iso) return '';
  if (iso.length <= 10) return iso;
  const d = new Date(iso);
  if (isNaN(d)) return iso;
  return d.toLocaleString('es-SV', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'America/El_Salvador' });
}
// the time alone ("3:58 p. m."), in a list of one day that says the day
export function fmtTime(iso) {
  const d = new Date(iso || '');
  if (isNaN(d)) return iso || '';
  return d.toLocaleTimeString('es-SV', { timeStyle: 'short', timeZone: 'America/El_Salvador' });
}

// A local date and time with no zone ("2026-12-06T04:15", a flight's
// arrival as the manifest gives it, in the airport's own clock) as the
// instants read ("6 dic 2026, 4:15 a. m."): written as it is, no zone moves
// it.  A day alone reads as fmtDay.
export function fmtLocal(text) {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}))?$/.exec(text || '');
  if (!m) return text || '';
  if (!m[2]) return fmtDay(m[1]);
  return new Date(`${m[1]}T${m[2]}:00Z`).toLocaleString('es-SV', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
}

// a calendar day (AAAA-MM-DD) as the instants read ("4 mar 2027"); it is a
// day, not an instant, so no zone moves it
// A document number as the MRZ and the registers write it: the spaces
// and hyphens printed on a DUI or a DPI ("04567890-1", "2456 78901 0101")
// dropped, letters uppercase.
export function docNumber(text) { return (text || '').replace(/[\s-]+/g, '').toUpperCase(); }

export function fmtDay(day) {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return day || '';
  return new Date(`${day}T12:00:00Z`).toLocaleDateString('es-SV', { dateStyle: 'medium', timeZone: 'UTC' });
}

// "1 persona", "2 personas"
export function count(n, one, many) { return `${num(n)} ${n === 1 ? one : many}`; }
// an amount in cents as a receipt reads it ("US$ 33.50"); null is an
// amount the law tables do not set
export function money(cents, currency = 'USD') {
  if (cents === null || cents === undefined) return 'monto según resolución';
  const text = (cents / 100).toLocaleString('es-SV', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${currency === 'USD' ? 'US$' : currency} ${text}`;
}
// cents as an amount field holds them ("33.50"); null stays null
export const dollars = (cents) => (cents === null || cents === undefined ? null : (cents / 100).toFixed(2));
export function num(n) { return n === null || n === undefined ? null : Number(n).toLocaleString('es-SV'); }

// «Ver más»: the next page of a list at each click, one page at a time (a
// second click while it comes would add it twice), hidden when there is
// none.  next(cursor) reads a page ({items, next_cursor}), add(page) shows
// it, fail(error) says what went wrong.
export function moreButton(id, cursor, next, add, fail) {
  const b = h('button', { type: 'button', class: 'sec', id, hidden: !cursor }, 'Ver más');
  b.addEventListener('click', async () => {
    if (b.disabled) return;
    b.disabled = true;
    try {
      const p = await next(cursor);
      add(p);
      cursor = p.next_cursor;
      b.hidden = !cursor;
    } catch (e) { fail(e); } finally { b.disabled = false; }
  });
  return b;
}

// An action sent once: its buttons are disabled while it is on its way,
// and a click or an Intro meanwhile does nothing (a second send was refused
// as already done, and its «ya …» said over the first's answer).  Returns
// the action to call in their place.
export function sendOnce(buttons, action) {
  return async (...args) => {
    if (buttons.some((b) => b.disabled)) return;
    for (const b of buttons) b.disabled = true;
    try { await action(...args); } finally { for (const b of buttons) b.disabled = false; }
  };
}

// A list read again (a filter changed, an action done, the refresh) while
// an earlier read is on its way: the latest read is the one shown.  The
// earlier answer, slower, came last and drew over it what was no longer so
// (another post's movements, a request decided since), and its error was
// said over a list that was fine.  aria-busy is on the list meanwhile: what
// it shows is about to be replaced (the browser tests wait for it to drop).
// Returns read(request, draw, fail): draw(answer) for the latest read only;
// fail(error) likewise, or, without fail, its error thrown to the caller.
// read.drop(): what is on its way is no longer wanted (the page said
// instead why it asks for nothing).
export function latestRead(box) {
  let seq = 0;
  const read = async (request, draw, fail) => {
    const mine = ++seq;
    box.setAttribute('aria-busy', 'true');
    try {
      const r = await request();
      if (mine === seq) draw(r);
    } catch (e) {
      if (mine !== seq) return;
      if (fail) fail(e); else throw e;
    } finally { if (mine === seq) box.removeAttribute('aria-busy'); }
  };
  read.drop = () => { seq++; box.removeAttribute('aria-busy'); };
  return read;
}

// What is being typed in a row stays when the list is drawn again: the
// list is read again after a decision on one row while the supervisor is
// already typing in the next, and the redraw wiped the text and took the
// cursor away.  The fields to keep carry data-key, one per row (the case,
// the request); draw() replaces what box holds.
export function keepTyped(box, draw) {
  const typed = new Map();
  for (const el of box.querySelectorAll('[data-key]')) if (el.value) typed.set(el.dataset.key, el.value);
  const a = document.activeElement;
  const at = a && a.dataset && a.dataset.key !== undefined && box.contains(a) ? { key: a.dataset.key, start: a.selectionStart, end: a.selectionEnd } : null;
  draw();
  for (const el of box.querySelectorAll('[data-key]')) if (typed.has(el.dataset.key)) el.value = typed.get(el.dataset.key);
  const back = at && [...box.querySelectorAll('[data-key]')].find((el) => el.dataset.key === at.key);
  if (back) {
    back.focus();
    // a number field has no selection to put back
    if (at.start !== null && back.setSelectionRange) back.setSelectionRange(at.start, at.end);
  }
}

export function notice(kind, text) { return h('div', { class: `aviso ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text); }

// Every required field left empty, said at once before anything is sent:
// each marked, the cursor in the first, one notice naming them all.  The
// API names the first only (and some of its messages name two fields
// whichever is missing), so a form left with three blanks was found out
// one request at a time.  list: [control, label] pairs.  Returns the
// notice, or null when nothing is missing.
export function missingFields(list) {
  const need = list.filter(([el]) => !el.value.trim() && !el.validity?.badInput);
  if (!need.length) return null;
  for (const [el] of need) {
    el.classList.add('invalido');
    el.addEventListener(el.tagName === 'SELECT' ? 'change' : 'input', () => el.classList.remove('invalido'), { once: true });
  }
  need[0][0].focus();
  return notice('error', `${need.length > 1 ? 'Faltan' : 'Falta'}: ${need.map(([, l]) => l).join(', ')}.`);
}

// A form field: label + control.  Returns [label, control].
export function field(labelText, control) {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  return [h('label', { for: id }, labelText), control];
}

// empty: what an empty list says (what was looked for and found nothing)
export function table(headers, rows, empty = 'Sin resultados') {
  return h('div', { class: 'tabla-wrap' },
    h('table', {},
      h('thead', {}, h('tr', {}, headers.map((t) => h('th', typeof t === 'object' ? t : {}, typeof t === 'object' ? t.text : t)))),
      h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: headers.length, class: 'sin-dato' }, empty)))));
}

// A table laid out as a grid (app.css: #sec-cola, #mv-lista, a row in two
// lines): a display other than a table's drops the table from what a
// screen reader is told, and the roles keep it one.  el is the table's
// wrapper, the table or a row added later.  Returns el.
export function tableRoles(el) {
  for (const [sel, role] of [['table', 'table'], ['tr', 'row'], ['th', 'columnheader'], ['td', 'cell']])
    for (const x of [el, ...el.querySelectorAll(sel)]) if (x.matches(sel)) x.setAttribute('role', role);
  return el;
}

// An API error on a form: said with the field's name as the form shows it
// (not the API's «surnames»), the field marked and the cursor put in it.
// fields maps an API field ("minor.birth_date"; its head "minor"; without
// its indices; or its last part "birth_date") to [control, label].  Returns the notice.
export function fieldError(e, fields) {
  const path = e.field || '';
  const leaf = path.split('.').pop();
  const hit = fields[path] || fields[path.split('.')[0]] || fields[path.replace(/\[\d+\]/g, '')] || fields[leaf];
  // the API names a nested field in full («document.number») or by itself
  // a message that opens with the field's name («destination»: …) opens
  // with the label alone, not «Destino: «Destino»: …»
  let said = e.message || '';
  // «Juzgado o tribunal: no puede estar vacío», not «…: «Juzgado o
  // tribunal» no puede estar vacío»: the label says the field once
  for (const k of [path, leaf]) {
    if (!k) continue;
    if (said.startsWith(`«${k}»: `)) said = said.slice(k.length + 4);
    else if (said.startsWith(`«${k}» `)) said = said.slice(k.length + 3);
    if (said === `falta el campo obligatorio «${k}»`) said = 'es obligatorio';
  }
  const text = hit ? `${hit[1]}: ${said.replace(`«${path}»`, `«${hit[1]}»`).replace(`«${leaf}»`, `«${hit[1]}»`)}` : e.message;
  if (hit) {
    const [el] = hit;
    el.classList.add('invalido');
    el.addEventListener('input', () => el.classList.remove('invalido'), { once: true });
    el.focus();
  }
  return notice('error', text);
}
