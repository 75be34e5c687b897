// labels.js — Spanish names of the codes the API returns (screening
// categories, how a name or a birth date matched), shared by the pages that
// explain a watchlist hit to an officer.
import { h } from './dom.js';
import { get } from './api.js';
export const KIND = { restriction: 'Restricción judicial', alert: 'Alerta migratoria', lost_stolen: 'Documento extraviado o robado', visa: 'Visado' };
export const SUB = {
  exit_ban: 'impedimento de salida', passport_retention: 'retención de pasaporte', periodic_appearance: 'presentación periódica',
  interpol_notice: 'notificación de Interpol', arrest_warrant: 'orden de captura', missing_person: 'persona desaparecida',
  missing_child: 'niña, niño o adolescente desaparecido', trafficking_victim: 'posible víctima de trata', reentry_ban: 'prohibición de reingreso',
  lost: 'extravío', stolen: 'robo', other: 'otra',
  consultada: 'visa consultada', required: 'visa requerida', unknown: 'categoría de visado no establecida',
};
export const HOW = { exact: 'idéntico', variant: 'variante', nickname: 'hipocorístico', typo: 'error de tipeo', initial: 'inicial', particle_glued: 'partícula unida' };
export const BIRTH = {
  exact: 'idéntica', day_month_swapped: 'día y mes invertidos', year_off_by_one: 'año ±1', partial_compatible: 'fecha parcial compatible',
  close: 'cercana', day_differs: 'difiere el día', month_differs: 'difiere el mes', different: 'distinta',
};

// The fields of a machine-readable zone (POST /api/v1/documents/mrz errors),
// as src/core/mrz.c mrz_field_label names them in a reason's detail.
export const MRZ_FIELD = {
  birth_date: 'Fecha de nacimiento', composite: 'Dígito de control compuesto', document_code: 'Código del documento', document_number: 'Número de documento',
  expiry_date: 'Fecha de vencimiento', given_names: 'Nombres', issuing_state: 'Estado emisor', line1: 'Primera línea', line2: 'Segunda línea', line3: 'Tercera línea',
  mrz: 'Zona de lectura', nationality: 'Nacionalidad', optional_data: 'Datos opcionales', optional_data_2: 'Datos opcionales (segunda línea)', sex: 'Sexo', surnames: 'Apellidos',
};

// Kinds of travel document.  Inspections say residence_carnet, the lost and
// stolen register and alerts residence_card: both are the same carné.
export const DOC_KIND = { passport: 'Pasaporte', id_card: 'Documento de identidad', residence_carnet: 'Carné de residente', residence_card: 'Carné de residente', visa: 'Visa', other: 'Otro', none: 'Sin documento' };
// why a person is referred to Atención al Migrante
export const MOTIVE = {
  asylum: 'Posible solicitante de refugio o asilo', trafficking: 'Posible víctima de trata o tráfico de personas',
  unaccompanied_minor: 'Niña, niño o adolescente no acompañado', returnee: 'Persona salvadoreña retornada', vulnerable: 'Otra situación de vulnerabilidad',
};
// a supervisor's resolution of a secondary case, as the direction says it
// (superseded: closed by the booth's admission of the same crossing a moment later)
const RESOLUTION = { admit: 'admitida', refuse: 'no admitida (inadmisión)', refer_atencion_migrante: 'remitida a Atención al Migrante',
  superseded: 'admitida en una nueva inspección' };
// an exit is authorized or not; "admitida" is said of an entry
const EXIT = { admit: 'salida autorizada', refuse: 'salida no autorizada', superseded: 'salida autorizada en una nueva inspección' };
export const resolutionLabel = (i) => (i.direction === 'exit' && EXIT[i.resolution]) || RESOLUTION[i.resolution] || i.resolution;
// the booth's decision on an inspection, as the direction says it
const DECISION = { admit: 'admitida', secondary: 'segunda revisión', refuse: 'no admitida' };
export const decisionLabel = (i) => (i.direction === 'exit' && EXIT[i.decision]) || DECISION[i.decision] || i.decision;
export const docKind = (k) => DOC_KIND[k] || k || 'Documento';
// A DUI as Salvadorans write it, its check digit after a hyphen
// (01234567-8): the records keep the number without it, as the booth
// compares numbers, and the pages read 012345678.  Nine digits of El
// Salvador's are a DUI (its passports' numbers begin with a letter).
// what a person's documents say when there are none: recorded without any
export const NO_DOCUMENTS = 'Ningún documento registrado: se inspeccionó sin documento de viaje.';
// No number at all is a traveler inspected without any document (a
// stowaway, a returnee without papers): said, not left blank.
export const docShown = (number, state) => (!number ? 'Sin documento' : state === 'SLV' && /^\d{9}$/.test(number) ? `${number.slice(0, 8)}-${number.slice(8)}` : number);

// A text with its identifiers whole, for the display only (its textContent
// is the text): each word with a digit in it (a plate «P-4521», a flight's
// or a document's number, a date «2026-12») in a span that does not wrap
// (app.css .entero), a flight's with its airline's code («TA 501», «AV
// 580»; a plate's country code may go to the line before: «HND PCB-4411»
// was wider than the transport's column).  At 1024 px «Bus Tica P-4521»
// broke at the plate's hyphen, «P-» ending a line; the words between
// still wrap.
export function whole(text) {
  if (text === null || text === undefined || text === '') return '';
  return String(text).split(/((?:\b[A-Z0-9]{2,3} (?=\d+[A-Z]?(?:\s|$)))?\S*\d\S*)/)
    .map((part, i) => (i % 2 ? h('span', { class: 'entero' }, part) : part)).filter((part) => part !== '');
}

// A reason's detail, unless its message already says it (a minor's exit
// read «…: la autorización n.º 1 nombra a otro acompañante (…).» and then
// the same words again under it)
export const reasonDetail = (x) => {
  const d = (x.detail || '').trim();
  return d && !String(x.message || '').includes(d) ? d : null;
};

// "alert/arrest_warrant" → ["Alerta migratoria", "orden de captura"]
export function category(c) {
  const [k, s] = String(c || '').split('/');
  return [KIND[k] || k, SUB[s] || s || ''];
}

// The record a reason or a hit points to ("alert:12"), as an officer names it
// ("Alerta n.º 12").  An unknown kind stays as the API gave it.
const RECORD = {
  alert: 'Alerta', restriction: 'Restricción judicial', permit: 'Permiso judicial de salida', movement: 'Movimiento',
  minor_authorization: 'Autorización de menor', lost_stolen: 'Reporte de extravío o robo', apis_hit: 'Coincidencia APIS', apis_manifest: 'Manifiesto APIS',
  traveler_fine: 'Multa', person: 'Persona', inadmission: 'Acta de inadmisión', inspection: 'Inspección',
};
export function recordLabel(r, code) {
  const s = String(r || '');
  const i = s.indexOf(':');
  // a resident's reasons name the carnet shown by its number (it read as a
  // bare number)
  if (i < 0 && s && /^resident|^residence/.test(code || '')) return `Carné de residente n.º ${s}`;
  // a nationality rule is a country, not a numbered record
  if (s.startsWith('nationality:')) return `Nacionalidad ${s.slice(12)}`;
  return i > 0 && RECORD[s.slice(0, i)] ? `${RECORD[s.slice(0, i)]} n.º ${s.slice(i + 1)}` : s;
}

// A post as a selector shows it: short enough that the two airports do not
// both read "Aeropuerto Internacional de…" in a narrow field, with the code
// the tables use.  The full name goes in the option's title.
function shortName(p) {
  if (p.kind !== 'air') return p.name;
  const alias = /\(([^)]+)\)\s*$/.exec(p.name);
  return `Aeropuerto ${alias ? alias[1] : p.name.replace(/^Aeropuerto (Internacional )?(de )?/, '')}`;
}
export function portLabel(p) { return `${shortName(p)} · ${p.code}`; }
export const portOption = (p) => h('option', { value: p.code, title: p.name }, portLabel(p));

// A post said in a sentence or a list by its name («ingresó por Frontera
// El Amatillo»), not by the code the tables keep (a person's history read
// «ingresó por AMA», the overstayers «Por: AMA»).  portNames() reads the
// posts once per session of the page; portName(names, code) says one, the
// code itself when it is not among them.
let posts = null;
export function portNames() {
  posts ??= get('/api/v1/ports').then((list) => new Map(list.map((p) => [p.code, shortName(p)]))).catch(() => { posts = null; return new Map(); });
  return posts;
}
export const portName = (names, code) => (code && names && names.get(code)) || code || '';
