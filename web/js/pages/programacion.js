// programacion.js — the APIS desk loads the airport's schedule of the day
// (POST /api/v1/apis/schedule) without leaving the browser: pasted or read
// from a .csv/.json file the operator (CEPA) publishes.  CSV columns may be
// named in Spanish or as the API names them; a record without a date takes
// the day chosen on the page.  The load is all or nothing (the server
// rejects it whole when one record is wrong): every wrong record is listed
// with its line, flight, field and the server's reason, so the officer fixes
// the file and loads it again.  The loaded flights then appear in the
// flights of the day as «Esperado» until their manifest arrives.
import { h, notice, table, fmtDate, latestRead } from '../dom.js';
import { api, get, qs } from '../api.js';

// Column names accepted (folded: lower case, no accents) -> the API's.
const COLUMN = {
  fecha: 'date', date: 'date', dia: 'date',
  transportista: 'carrier', aerolinea: 'carrier', carrier: 'carrier',
  vuelo: 'flight', flight: 'flight', numero: 'flight',
  delegacion: 'port', aeropuerto: 'port', port: 'port',
  origen: 'origin', procedencia: 'origin', origin: 'origin',
  llegada: 'arrival', hora: 'arrival', arrival: 'arrival',
  estado: 'status', status: 'status',
};
export const FIELD_LABEL = { date: 'Fecha', carrier: 'Transportista', flight: 'Vuelo', port: 'Aeropuerto', origin: 'Origen', arrival: 'Hora de llegada', status: 'Estado' };
// The server's reasons, said the way the desk reads them (by field and
// code); anything else is shown as the server wrote it.
const REASON = {
  'date/invalid_date': 'Fecha AAAA-MM-DD (p. ej. 2026-11-27), una fecha que exista.',
  'carrier/invalid_value': 'Código IATA de la aerolínea: 2 o 3 letras o dígitos en mayúsculas (p. ej. TA, AV).',
  'flight/invalid_value': 'Solo el número de vuelo, sin el código de la aerolínea (p. ej. 611, no «AV 611»).',
  'flight/duplicate_flight': 'El mismo vuelo está dos veces en la carga: deje una sola línea.',
  'origin/invalid_value': 'Código IATA de 3 letras del aeropuerto de origen (p. ej. GUA).',
  'arrival/invalid_time': 'Hora de llegada en hora local, HH:MM de 00:00 a 23:59.',
  'status/invalid_value': 'Estado: «programado» o «cancelado» (vacío: programado).',
};
const STATUS = { programado: 'scheduled', cancelado: 'cancelled', scheduled: 'scheduled', cancelled: 'cancelled' };
const fold = (s) => String(s).normalize('NFD').replace(/[\u0300-\u036f]/g, '').trim().toLowerCase();

// One CSV line into cells: sep is ',' or ';' (a spreadsheet in Spanish
// saves with ';'), double quotes around a cell, "" inside one.
function cells(line, sep) {
  const out = [];
  let cur = '', quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') quoted = false; else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) { out.push(cur); cur = ''; } else cur += c;
  }
  out.push(cur);
  return out.map((x) => x.trim());
}

// Text -> { flights: [...], lines: [line of each record], errors: [...] }.
// Errors here are the file's shape (columns, JSON); the values are the
// server's to judge, so that one set of rules speaks.
export function parseSchedule(text, day) {
  const src = text.replace(/^\uFEFF/, '').trim();
  const fill = (o) => {
    if (!o || typeof o !== 'object' || Array.isArray(o)) return o;
    const r = { ...o };
    if (!r.date) r.date = day;
    if (typeof r.status === 'string' && STATUS[fold(r.status)]) r.status = STATUS[fold(r.status)];
    return r;
  };
  if (!src) return { flights: [], lines: [], errors: [{ message: 'Pegue la programación o elija un archivo.' }] };
  if (src.startsWith('{') || src.startsWith('[')) {
    let j;
    try { j = JSON.parse(src); } catch (e) { return { flights: [], lines: [], errors: [{ message: `JSON inválido: ${e.message}` }] }; }
    const list = Array.isArray(j) ? j : j.flights;
    if (!Array.isArray(list)) return { flights: [], lines: [], errors: [{ message: 'El JSON debe ser una lista de vuelos o {"flights": [...]}.' }] };
    return { flights: list.map(fill), lines: list.map(() => null), errors: [] };
  }
  const rows = src.split(/\r?\n/);
  const sep = (rows[0].match(/;/g) || []).length > (rows[0].match(/,/g) || []).length ? ';' : ',';
  const head = cells(rows[0], sep).map((c) => COLUMN[fold(c)] || null);
  const errors = [];
  cells(rows[0], sep).forEach((c, i) => {
    if (!head[i]) errors.push({ line: 1, message: `Columna desconocida «${c}». Use: fecha, transportista, vuelo, aeropuerto, origen, llegada, estado.` });
  });
  for (const need of ['carrier', 'flight', 'port', 'arrival'])
    if (!head.includes(need)) errors.push({ line: 1, message: `Falta la columna «${FIELD_LABEL[need].toLowerCase()}».` });
  const flights = [], lines = [];
  rows.slice(1).forEach((line, i) => {
    if (!line.trim()) return;
    const c = cells(line, sep);
    if (c.length !== head.length) errors.push({ line: i + 2, message: `La línea tiene ${c.length} columnas; el encabezado, ${head.length}.` });
    const o = {};
    head.forEach((k, j) => { if (k && c[j]) o[k] = c[j]; });
    flights.push(fill(o));
    lines.push(i + 2);
  });
  if (!flights.length && !errors.length) errors.push({ message: 'El archivo no trae vuelos (solo el encabezado).' });
  return { flights, lines, errors };
}

// The panel.  day: the page's date input; onLoaded(date): after a load.
export function schedulePanel({ day, onLoaded }) {
  const text = h('textarea', { id: 'apis-prog-texto', class: 'mono', rows: 6, spellcheck: 'false',
    placeholder: 'transportista,vuelo,aeropuerto,origen,llegada\nAV,611,SAL,GUA,23:45\nTA,555,SAL,MIA,08:10' });
  const file = h('input', { type: 'file', id: 'apis-prog-archivo', accept: '.csv,.json,.txt,text/csv,application/json' });
  const out = h('div', { id: 'apis-prog-informe' });
  const loaded = h('div', { id: 'apis-prog-cargada' });

  file.addEventListener('change', async () => {
    const f = file.files[0];
    if (f) text.value = await f.text();
  });

  // the airports a flight may land at, for the reason of a wrong one
  let airports = null;
  async function reasonOf(key, x) {
    if (key === 'port' && x.code === 'invalid_port') {
      try {
        airports = airports || (await get('/api/v1/ports')).filter((p) => p.active && p.kind === 'air');
        return `No es un aeropuerto activo. Use ${airports.map((p) => p.code).join(' o ')}.`;
      } catch { return x.message; }
    }
    return REASON[`${key}/${x.code}`] || x.message;
  }

  // the latest read wins: a day chosen while the last day's schedule was
  // on its way got that schedule, come late, under its own date
  const read = latestRead(loaded);
  async function showLoaded() {
    const date = day.value;
    await read(() => get(`/api/v1/apis/schedule${qs({ date })}`), (r) => {
      if (!r.items.length) { loaded.replaceChildren(h('p', { class: 'sub' }, `Sin programación cargada para el ${date}.`)); return; }
      loaded.replaceChildren(h('h3', {}, `Programación del ${date} (${r.items.length} vuelo${r.items.length === 1 ? '' : 's'})`),
        table(['Llegada', 'Vuelo', 'Ruta', 'Estado', 'Cargado'], r.items.map((x) => h('tr', { dataset: { programado: `${x.carrier}${x.flight}` } },
          h('td', {}, x.arrival), h('td', { class: 'mono' }, `${x.carrier} ${x.flight}`), h('td', {}, `${x.origin || '?'} → ${x.port}`),
          h('td', {}, x.status === 'cancelled' ? h('span', { class: 'etiqueta mal' }, 'Cancelado') : h('span', { class: 'etiqueta' }, 'Programado')),
          h('td', {}, h('small', {}, `${x.loaded_by} · ${fmtDate(x.loaded_at)}`))))));
    }, (e) => loaded.replaceChildren(notice('error', e.message)));
  }

  // The wrong records, one row per field, in the officer's terms.
  async function report(p, errs) {
    const reasons = await Promise.all(errs.map((x) => reasonOf((x.field || '').replace(/^flights\[\d+\]\.?/, ''), x)));
    return table(['Línea', 'Vuelo', 'Campo', 'Valor', 'Motivo'], errs.map((x, i) => {
      const rec = Number.isInteger(x.record) ? p.flights[x.record] : null;
      const key = (x.field || '').replace(/^flights\[\d+\]\.?/, '');
      const line = Number.isInteger(x.record) ? (p.lines[x.record] || `vuelo ${x.record + 1}`) : (x.line || '—');
      const value = rec && key && rec[key] !== undefined ? String(rec[key]) : '';
      return h('tr', { class: 'error-programacion' },
        h('td', { class: 'num' }, String(line)),
        h('td', { class: 'mono' }, rec && typeof rec === 'object' ? `${rec.carrier || '?'} ${rec.flight || '?'}` : '—'),
        h('td', {}, FIELD_LABEL[key] || key || '—'),
        h('td', { class: 'mono' }, value || (key ? '(vacío)' : '')),
        h('td', {}, reasons[i]));
    }));
  }

  async function load() {
    out.replaceChildren();
    const p = parseSchedule(text.value, day.value);
    if (p.errors.length) {
      out.append(notice('error', 'No se cargó nada: corrija el archivo.'), await report(p, p.errors));
      return;
    }
    try {
      const r = await api('POST', '/api/v1/apis/schedule', { flights: p.flights });
      const dates = [...new Set(p.flights.map((x) => x.date))];
      out.append(notice('ok', `Programación cargada: ${r.loaded} vuelo${r.loaded === 1 ? '' : 's'}${dates.length === 1 ? ` para el ${dates[0]}` : ''}. Aparecen como «Esperado» hasta que llegue su manifiesto.`));
      text.value = '';
      file.value = '';
      await onLoaded(dates.length === 1 ? dates[0] : null);
      await showLoaded();
    } catch (e) {
      // 422 schedule_rejected: the server's per-record errors
      const errs = (e.body && e.body.errors) || [];
      out.append(notice('error', errs.length
        ? `Programación rechazada: ${new Set(errs.map((x) => x.record)).size} vuelo(s) con errores. No se cargó ninguno; corrija y vuelva a cargar.`
        : e.message));
      if (errs.length) out.append(await report(p, errs));
    }
  }

  const panel = h('details', { class: 'panel', id: 'apis-programacion' },
    h('summary', {}, 'Programación de vuelos del aeropuerto'),
    h('p', { class: 'sub' }, 'Cargue las llegadas programadas del día (CEPA): pegue el CSV o JSON, o elija el archivo. Columnas: ',
      h('span', { class: 'mono' }, 'fecha, transportista, vuelo, aeropuerto, origen, llegada, estado'),
      '. Vuelo sin el código del transportista (611); aeropuerto SAL o ILO; llegada HH:MM hora local; sin fecha, el día elegido arriba; estado «programado» o «cancelado». Si un vuelo tiene errores no se carga ninguno.'),
    h('label', { for: 'apis-prog-texto' }, 'Programación (CSV o JSON)'), text,
    h('label', { for: 'apis-prog-archivo' }, 'o un archivo'), file,
    h('div', { class: 'acciones' }, h('button', { type: 'button', id: 'apis-prog-cargar', onclick: () => load().catch((e) => out.replaceChildren(notice('error', e.message))) }, 'Cargar programación')),
    out, loaded);
  panel.addEventListener('toggle', () => { if (panel.open) showLoaded(); });
  return { panel, refresh: () => (panel.open ? showLoaded() : null) };
}
