#!/usr/bin/env node
// demo-data.mjs — load fictitious demo data into a running `sigm serve`
// through its public API (never SQL), so every screen of the demo has
// something to show and the audit chain records every write.
//
//   SIGM_URL=http://127.0.0.1:PORT SIGM_ADMIN_PASSWORD=... SIGM_DEMO_PASSWORD=... \
//   SIGM_CARRIER_TOKEN=... node scripts/demo-data.mjs
//
// The demo users (oficial, supervisor, secretaria, pasaportes) must exist
// with SIGM_DEMO_PASSWORD; the carrier account `aerolinea` with the token
// given.  Every request's status is checked: the first unexpected answer
// stops the load with exit status 1 and the request and answer on stderr.
// On success it prints one JSON line with the counts of what it created.
// All people, documents and cases are invented.

const BASE = (process.env.SIGM_URL || '').replace(/\/$/, '');
const ADMIN_PW = process.env.SIGM_ADMIN_PASSWORD;
const DEMO_PW = process.env.SIGM_DEMO_PASSWORD;
const CARRIER_TOKEN = process.env.SIGM_CARRIER_TOKEN;
// optional: a bus company's account for a prechequeo list
const BUS_TOKEN = process.env.SIGM_BUS_TOKEN;
if (!BASE || !ADMIN_PW || !DEMO_PW || !CARRIER_TOKEN) {
  console.error('demo-data: SIGM_URL, SIGM_ADMIN_PASSWORD, SIGM_DEMO_PASSWORD and SIGM_CARRIER_TOKEN are required');
  process.exit(2);
}

class Client {
  constructor(name) { this.name = name; this.cookie = null; this.csrf = null; this.token = null; }
  async req(method, p, body, expect, headers = {}) {
    const h = { ...headers };
    if (body !== undefined && typeof body !== 'string') { body = JSON.stringify(body); h['content-type'] = 'application/json'; }
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrf && method !== 'GET') h['x-csrf-token'] = this.csrf;
    if (this.token) h.authorization = `Bearer ${this.token}`;
    const r = await fetch(BASE + p, { method, headers: h, body });
    const sc = r.headers.get('set-cookie');
    if (sc) { const m = /sigm_session=([^;]*)/.exec(sc); if (m) this.cookie = `sigm_session=${m[1]}`; }
    const text = await r.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    const ok = Array.isArray(expect) ? expect.includes(r.status) : r.status === expect;
    if (!ok) {
      const shown = typeof body === 'string' && body.length > 400 ? body.slice(0, 400) + '…' : body;
      throw new Error(`${this.name}: ${method} ${p} -> ${r.status} (expected ${expect})\n  request: ${shown ?? ''}\n  answer:  ${text.slice(0, 800)}`);
    }
    return json;
  }
  get(p, expect = 200) { return this.req('GET', p, undefined, expect); }
  post(p, b, expect = 201, headers) { return this.req('POST', p, b, expect, headers); }
  async login(user, pw) {
    const r = await this.req('POST', '/api/v1/session', { username: user, password: pw }, 200);
    this.csrf = r.csrf_token;
    return this;
  }
}

// Dates in El Salvador (UTC-6), as the server counts them.
const DAY = 86400e3;
const today = new Date(Date.now() - 6 * 3600e3).toISOString().slice(0, 10);
const addDays = (d, n) => new Date(Date.parse(d + 'T12:00:00Z') + n * DAY).toISOString().slice(0, 10);
const yymmdd = (d) => d.slice(2).replaceAll('-', '');

// ICAO 9303 7-3-1 check digits; a TD3 (passport) zone of two 44-char lines.
const val = (c) => (c === '<' ? 0 : /[0-9]/.test(c) ? Number(c) : c.charCodeAt(0) - 55);
const cd = (s) => String([...s].reduce((a, c, i) => a + val(c) * [7, 3, 1][i % 3], 0) % 10);
function td3({ state, name, number, nat, birth, sex, expiry, personal = '' }) {
  const l1 = `P<${state}${name}`.padEnd(44, '<');
  const num = number.padEnd(9, '<');
  const pn = personal.padEnd(14, '<');
  const body = num + cd(num) + nat + birth + cd(birth) + sex + expiry + cd(expiry) + pn + cd(pn);
  const comp = body.slice(0, 10) + body.slice(13, 20) + body.slice(21, 43);
  return `${l1}\n${body}${cd(comp)}`;
}

// A UN/EDIFACT PAXLST D05B passenger list (the shape of
// tests/data/paxlst/cbp_d05b_guide_example.edi), for a flight in the future:
// ingest refuses flights already gone (flight_in_past).
function paxlst({ flight, carrier, from, dep, arr, passengers }) {
  const stamp = `${yymmdd(today)}:0800`;
  const segs = [
    `UNB+UNOA:4+${carrier}AIRLINE+SLVAPIS+${stamp}+DEMO${flight}`,
    'UNH+M1+PAXLST:D:05B:UN:IATA',
    'BGM+745',
    'NAD+MS+++CENTRO DE OPERACIONES',
    `TDT+20+${flight}+++${carrier}`,
    `LOC+125+${from}`, `DTM+189:${dep}:201`,
    'LOC+87+SAL', `DTM+232:${arr}:201`,
  ];
  for (const p of passengers) {
    segs.push(`NAD+FL+++${p.surnames}:${p.given}`, `ATT+2++${p.sex}`, `DTM+329:${p.birth}`,
      `NAT+2+${p.nat}`, `DOC+P+${p.doc}`, `DTM+36:${p.expiry}`, `LOC+91+${p.nat}`);
  }
  segs.push(`CNT+42:${passengers.length}`);
  segs.push(`UNT+${segs.length}+M1`, `UNZ+1+DEMO${flight}`);
  return "UNA:+.? '" + segs.map((s) => s + "'").join('\n') + '\n';
}

const counts = {};
const count = (k, n = 1) => { counts[k] = (counts[k] || 0) + n; };

async function waitHealthy() {
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(BASE + '/healthz')).status === 200) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server at ${BASE} did not answer /healthz in 10 s`);
}

async function main() {
  await waitHealthy();
  const admin = await new Client('admin').login('admin', ADMIN_PW);
  const sec = await new Client('secretaria').login('secretaria', DEMO_PW);
  const sup = await new Client('supervisor').login('supervisor', DEMO_PW);
  const ofi = await new Client('oficial').login('oficial', DEMO_PW);
  const pas = await new Client('pasaportes').login('pasaportes', DEMO_PW);

  // ---- Secretaría General: court restrictions ----
  const banSubject = { given_names: 'Mauricio Ernesto', surnames: 'Alvarado Cañas', birth_date: '1979-08-23', sex: 'M', nationality: 'SLV', document_number: 'A90123456' };
  const ban = await sec.post('/api/v1/restrictions', {
    court: 'Juzgado Cuarto de Instrucción de San Salvador', case_number: 'INS-1187-2026 (DEMO)', measure: 'exit_ban',
    subject: banSubject, effective_from: addDays(today, -60), effective_to: null,
  });
  await sec.post(`/api/v1/restrictions/${ban.id}/permits`, {
    from: addDays(today, 20), to: addDays(today, 34), destination: 'GTM',
    authorization: 'Oficio 2291-2026 del juzgado: viaje por tratamiento médico (demo)',
  });
  count('restrictions');
  const lifted = await sec.post('/api/v1/restrictions', {
    court: 'Juzgado Primero de Paz de Santa Tecla', case_number: 'PAZ-0342-2026 (DEMO)', measure: 'exit_ban',
    subject: { given_names: 'Karla Beatriz', surnames: 'Orellana de Portillo', birth_date: '1986-02-11', sex: 'F', nationality: 'SLV' },
    effective_from: addDays(today, -120), effective_to: null,
  });
  await sec.post(`/api/v1/restrictions/${lifted.id}/lift`, { order_reference: 'Auto de cese 118-2026 (demo)' }, 200);
  count('restrictions');
  const rootsBan = await sec.post('/api/v1/restrictions', {
    court: 'Juzgado Especializado de Instrucción de San Miguel', case_number: 'ESP-0077-2026 (DEMO)', measure: 'exit_ban',
    subject: { given_names: 'Rigoberto Antonio', surnames: 'Villatoro Reyes', birth_date: '1972-12-03', sex: 'M', nationality: 'SLV', document_number: 'A81234567' },
    effective_from: addDays(today, -10), effective_to: addDays(today, 355),
  });
  void rootsBan;
  count('restrictions');

  // ---- migration alerts (the supervisors issue them) ----
  const alerts = [
    { category: 'interpol_notice', subject: { given_names: 'Dragan', surnames: 'Kovačević', birth_date: '1968-04-19', sex: 'M', nationality: 'SRB', document_number: '009876543' },
      instructions: 'Notificación roja (ficticia, demo). Retener y avisar a la Oficina Central Nacional de INTERPOL.', reference: 'INTERPOL A-0000/0-2026 (demo)' },
    { category: 'missing_child', subject: { given_names: 'Ashley Guadalupe', surnames: 'Menjívar Quintanilla', birth_date: '2015-03-02', sex: 'F', nationality: 'SLV' },
      instructions: 'Niña desaparecida (demo). Retener y avisar a la PNC y al CONNA.', valid_until: addDays(today, 365), reference: 'PNC-DAV-2026-0412 (demo)' },
    { category: 'arrest_warrant', subject: { given_names: 'Juan Carlos', surnames: 'Ramírez Mejía', birth_date: '1988-09-14', sex: 'M', nationality: 'SLV' },
      instructions: 'Orden de captura (demo). Enviar a segunda revisión y avisar a la PNC.', reference: 'Juzgado Tercero de Sentencia de San Salvador, 455-2026 (demo)' },
    { category: 'reentry_ban', subject: { given_names: 'Wilmer Josué', surnames: 'Zelaya Matamoros', birth_date: '1991-07-30', sex: 'M', nationality: 'HND', document_number: 'F1234567' },
      instructions: 'Expulsado por resolución DGME (demo). No admitir antes de la fecha indicada.', reentry_ban_until: addDays(today, 3 * 365), reference: 'Resolución DGME-EXP-0031-2026 (demo)' },
  ];
  const alertIds = {};
  for (const a of alerts) { alertIds[a.category] = (await sup.post('/api/v1/alerts', a)).id; count('alerts'); }

  // ---- lost and stolen passports ----
  const lost = [
    { document_number: 'A95551234', document_type: 'passport', issuing_state: 'SLV', reason: 'stolen', reported_on: addDays(today, -12),
      holder: { given_names: 'Ricardo Alfonso', surnames: 'Pineda Guevara', birth_date: '1983-05-09' }, source: 'Denuncia PNC 12345-2026 (demo)' },
    { document_number: 'A95557788', document_type: 'passport', issuing_state: 'SLV', reason: 'lost', reported_on: addDays(today, -30),
      holder: { given_names: 'Daniela María', surnames: 'Fuentes Molina', birth_date: '1995-10-21' }, source: 'Declaración en la delegación de Santa Ana (demo)' },
    { document_number: 'G80011223', document_type: 'passport', issuing_state: 'GTM', reason: 'stolen', reported_on: addDays(today, -5), source: 'Base de datos SLTD (demo)' },
  ];
  for (const d of lost) { await pas.post('/api/v1/documents/lost-stolen', d); count('lost_stolen'); }

  // ---- border traffic ----
  const decisions = {};
  const inspect = async (body) => {
    const r = await ofi.post('/api/v1/inspections', body);
    decisions[r.decision] = (decisions[r.decision] || 0) + 1;
    count('inspections');
    return r;
  };
  const expect = (r, decision, what) => {
    if (r.decision !== decision) throw new Error(`${what}: expected ${decision}, got ${r.decision} ${JSON.stringify(r.reasons)}`);
    return r;
  };
  const pass = (number, state, expiry = '2031-06-30') => ({ kind: 'passport', code: 'P', number, issuing_state: state, nationality: state, expiry_date: expiry });

  // Ordinary travellers, by document fields: [port, direction, transport, route, given, surnames, birth, sex, nat, number]
  const travellers = [
    ['SAL', 'exit', 'AV 611', 'USA', 'Ana Gabriela', 'Hernández Flores', '1990-04-12', 'F', 'SLV', 'A70010001'],
    ['SAL', 'exit', 'AV 611', 'USA', 'Luis Fernando', 'Martínez Portillo', '1985-11-02', 'M', 'SLV', 'A70010002'],
    ['SAL', 'exit', 'CM 391', 'PAN', 'Rosa Elena', 'Guardado de Rivas', '1962-01-25', 'F', 'SLV', 'A70010003'],
    ['SAL', 'entry', 'TA 565', 'USA', 'José Roberto', 'Mejía Castro', '1978-06-18', 'M', 'SLV', 'A70010004'],
    ['SAL', 'entry', 'TA 565', 'USA', 'Claudia Marisol', 'Ayala Benítez', '1993-09-07', 'F', 'SLV', 'A70010005'],
    ['SAL', 'entry', 'AA 1218', 'USA', 'Michael', 'Thompson', '1971-03-30', 'M', 'USA', '567812345'],
    ['SAL', 'entry', 'IB 6341', 'ESP', 'Lucía', 'García Navarro', '1988-12-05', 'F', 'ESP', 'PAA123456'],
    ['SAL', 'entry', 'AM 672', 'MEX', 'Alejandro', 'Vázquez Ortega', '1982-07-14', 'M', 'MEX', 'G12345678'],
    ['SAL', 'entry', 'UA 1560', 'USA', 'Jennifer', 'Walsh', '1979-02-20', 'F', 'USA', '567899876'],
    ['HAC', 'entry', 'Bus Tica P-4521', 'GTM', 'Marvin Estuardo', 'López Barrios', '1987-10-10', 'M', 'GTM', 'G20304050'],
    ['HAC', 'entry', 'Vehículo P-123ABC', 'GTM', 'Brenda Lisseth', 'Ajú Coyoy', '1996-05-28', 'F', 'GTM', 'G20304051'],
    ['HAC', 'exit', 'Bus Tica P-4521', 'GTM', 'Óscar Armando', 'Rivera Chávez', '1975-08-08', 'M', 'SLV', 'A70010006'],
    ['HAC', 'exit', 'Vehículo P-678XYZ', 'GTM', 'Sandra Yamileth', 'Romero Aguilar', '1984-03-15', 'F', 'SLV', 'A70010007'],
    ['HAC', 'exit', 'Camión C-99812', 'MEX', 'Julio César', 'Escobar Menjívar', '1969-11-11', 'M', 'SLV', 'A70010008'],
    ['AMA', 'entry', 'Bus King Quality 210', 'HND', 'Kevin Alexander', 'Maradiaga Flores', '1994-01-19', 'M', 'HND', 'F2345678'],
    ['AMA', 'entry', 'Vehículo HND PCB-4411', 'HND', 'Dunia Marleny', 'Cruz Ordóñez', '1989-06-06', 'F', 'HND', 'F2345679'],
    ['AMA', 'exit', 'Bus King Quality 211', 'HND', 'Wendy Carolina', 'Argueta Sorto', '1992-12-24', 'F', 'SLV', 'A70010009'],
    ['AMA', 'exit', 'Camión C-45120', 'NIC', 'Nelson Humberto', 'Amaya Velásquez', '1977-04-04', 'M', 'SLV', 'A70010010'],
    ['AMA', 'entry', 'Bus Transnica 07', 'NIC', 'Xiomara del Carmen', 'Téllez Obando', '1986-09-17', 'F', 'NIC', 'C01234567'],
    ['ACA', 'entry', 'Crucero MS Pacific Dawn', 'MEX', 'Hans', 'Müller', '1958-10-01', 'M', 'DEU', 'C4F5G6H7J'],
    ['ACA', 'entry', 'Crucero MS Pacific Dawn', 'MEX', 'Margaret', "O'Connor", '1961-05-22', 'F', 'CAN', 'GA123456'],
    ['ACA', 'exit', 'Buque Mercante Río Lempa', 'PAN', 'Ernesto Alonso', 'Quintanilla Bonilla', '1980-02-29', 'M', 'SLV', 'A70010011'],
  ];
  const personIds = {};
  for (const [port, direction, transport, route, given, surnames, birth, sex, nat, number] of travellers) {
    const r = await inspect({ port, direction, transport, route_country: route, document: pass(number, nat), person: { given_names: given, surnames, birth_date: birth, sex, nationality: nat } });
    expect(r, 'admit', `${given} ${surnames}`);
    personIds[number] = r.person_id;
  }

  // Scanned TD3 passports (the MRZ alone, as the booth's reader sends it).
  const exp = yymmdd(addDays(today, 4 * 365));
  const scanned = [
    ['SAL', 'entry', 'AV 630', { state: 'SLV', name: 'PEREZ<SORTO<<CARLOS<ENRIQUE', number: 'A70020001', nat: 'SLV', birth: '810317', sex: 'M', expiry: exp }],
    ['SAL', 'entry', 'AV 630', { state: 'SLV', name: 'CANALES<DE<LEMUS<<MARTA<ALICIA', number: 'A70020002', nat: 'SLV', birth: '700906', sex: 'F', expiry: exp }],
    ['SAL', 'entry', 'CM 390', { state: 'USA', name: 'NGUYEN<<DAVID', number: '598765432', nat: 'USA', birth: '870212', sex: 'M', expiry: exp }],
    ['SAL', 'entry', 'DL 383', { state: 'CAN', name: 'TREMBLAY<<SOPHIE', number: 'HK123456', nat: 'CAN', birth: '900730', sex: 'F', expiry: exp }],
    ['HAC', 'entry', 'Bus Pullmantur 14', { state: 'GTM', name: 'MORALES<CHOC<<EDGAR<RENE', number: 'G30405060', nat: 'GTM', birth: '830125', sex: 'M', expiry: exp }],
    ['AMA', 'exit', 'Bus King Quality 211', { state: 'SLV', name: 'BONILLA<RECINOS<<IRIS<YANETH', number: 'A70020003', nat: 'SLV', birth: '990415', sex: 'F', expiry: exp }],
    ['ACA', 'exit', 'Crucero MS Pacific Dawn', { state: 'CAN', name: 'O<CONNOR<<MARGARET', number: 'GA123456', nat: 'CAN', birth: '610522', sex: 'F', expiry: '310630' }],
  ];
  for (const [port, direction, transport, z] of scanned) {
    const r = await inspect({ port, direction, transport, route_country: port === 'HAC' ? 'GTM' : port === 'AMA' ? 'HND' : 'USA', mrz: td3(z) });
    if (!r.mrz || r.mrz.valid !== true) throw new Error(`MRZ of ${z.name} not valid: ${JSON.stringify(r.mrz)}`);
    expect(r, 'admit', z.name);
  }

  // A round trip for the certificate: Ana Gabriela left above, comes back.
  const back = await inspect({ port: 'SAL', direction: 'entry', transport: 'AV 610', route_country: 'USA', document: pass('A70010001', 'SLV'), person: { given_names: 'Ana Gabriela', surnames: 'Hernández Flores', birth_date: '1990-04-12', sex: 'F', nationality: 'SLV' } });
  expect(back, 'admit', 'Ana Gabriela (regreso)');

  // A fuzzy watchlist hit: the MRZ spelling of a name with an arrest
  // warrant, one letter off; the traveller waits in secondary.
  const fuzzy = await inspect({ port: 'SAL', direction: 'exit', transport: 'AV 611', route_country: 'USA',
    mrz: td3({ state: 'SLV', name: 'RAMIRES<MEJIA<<JUAN<CARLOS', number: 'A70020004', nat: 'SLV', birth: '880914', sex: 'M', expiry: exp }) });
  expect(fuzzy, 'secondary', 'coincidencia aproximada');
  if (!fuzzy.reasons.some((x) => x.code === 'watchlist_match')) throw new Error('fuzzy hit without watchlist_match: ' + JSON.stringify(fuzzy.reasons));

  // An Interpol notice at the airport, resolved by the supervisor (refused).
  const interpol = await inspect({ port: 'SAL', direction: 'entry', transport: 'CM 390', route_country: 'PAN',
    document: pass('009876543', 'SRB'), person: { given_names: 'Dragan', surnames: 'Kovacevic', birth_date: '1968-04-19', sex: 'M', nationality: 'SRB' } });
  if (interpol.decision === 'secondary') {
    await sup.post(`/api/v1/inspections/${interpol.inspection_id}/resolve`, { resolution: 'refuse', legal_ground: 'Notificación roja de INTERPOL vigente (demo)', carrier: 'CM', arrival_transport: 'CM 390', return_transport: 'CM 391' }, 200);
    count('secondary_resolved');
  } else expect(interpol, 'refuse', 'notificación de INTERPOL');

  // The exit ban: refused at the airport (shows in «Salidas bloqueadas»).
  const blocked = await inspect({ port: 'SAL', direction: 'exit', transport: 'AV 611', route_country: 'USA',
    document: pass('A90123456', 'SLV'), person: { given_names: 'Mauricio Ernesto', surnames: 'Alvarado Cañas', birth_date: '1979-08-23', sex: 'M', nationality: 'SLV' } });
  expect(blocked, 'refuse', 'impedimento de salida');

  // A stolen passport presented at La Hachadura.
  const stolen = await inspect({ port: 'HAC', direction: 'exit', transport: 'Bus Tica P-4521', route_country: 'GTM',
    document: pass('A95551234', 'SLV'), person: { given_names: 'Ricardo Alfonso', surnames: 'Pineda Guevara', birth_date: '1983-05-09', sex: 'M', nationality: 'SLV' } });
  expect(stolen, 'refuse', 'pasaporte robado');

  // An expired passport off a bus at El Amatillo: refused, and the bus
  // company fined for carrying a passenger without a valid document.
  const expired = await inspect({ port: 'AMA', direction: 'entry', transport: 'Bus Transportes del Golfo 33', route_country: 'HND',
    document: pass('F3456789', 'HND', '2024-03-01'), person: { given_names: 'Elvin Joel', surnames: 'Mejía Banegas', birth_date: '1990-11-30', sex: 'M', nationality: 'HND' } });
  expect(expired, 'refuse', 'pasaporte vencido');
  const fine = await sup.post('/api/v1/carrier-fines', {
    carrier: 'Transportes del Golfo S.A. de C.V. (demo)', amount: 500, legal_basis: 'Ley Especial de Migración y de Extranjería',
    reason: 'Pasajero sin documento de viaje válido (pasaporte vencido)', port: 'AMA', transport: 'Bus Transportes del Golfo 33',
    inspection_id: expired.inspection_id, imposed_on: today,
  });
  await sup.post(`/api/v1/carrier-fines/${fine.id}/status`, { status: 'notified', note: 'Oficio DCM-AMA-0456-2026 (demo)' }, 200);
  count('carrier_fines');

  // A minor leaving with her mother, the father's LEPINA authorization
  // registered first.
  await ofi.post('/api/v1/minor-authorizations', {
    minor: { given_names: 'Valeria Sofía', surnames: 'Henríquez Alas', birth_date: '2016-08-19', nationality: 'SLV', document_number: 'A70030001' },
    birth_certificate_ref: 'Partida 412, folio 206, libro 3, Alcaldía de Santa Tecla (demo)',
    authorizing: [{ relation: 'father', given_names: 'Roberto Carlos', surnames: 'Henríquez Molina' }],
    instrument: 'notarial_act', instrument_reference: 'Acta notarial ante Lic. Mirna Elizabeth Cornejo (demo)',
    issued_on: addDays(today, -7), valid_to: addDays(today, 90),
    companion: { given_names: 'Evelyn Patricia', surnames: 'Alas de Henríquez', document_number: 'A70030002' },
    destination: 'USA, Los Ángeles', length_of_stay: '21 días, vacaciones',
  });
  count('minor_authorizations');
  const minor = await inspect({ port: 'SAL', direction: 'exit', transport: 'AV 580', route_country: 'USA',
    document: pass('A70030001', 'SLV'), person: { given_names: 'Valeria Sofía', surnames: 'Henríquez Alas', birth_date: '2016-08-19', sex: 'F', nationality: 'SLV' },
    companions: [{ relation: 'parent', name: 'Evelyn Patricia Alas de Henríquez', document_number: 'A70030002', identity_checked: true }] });
  expect(minor, 'admit', 'menor con autorización');
  const mother = await inspect({ port: 'SAL', direction: 'exit', transport: 'AV 580', route_country: 'USA',
    document: pass('A70030002', 'SLV'), person: { given_names: 'Evelyn Patricia', surnames: 'Alas de Henríquez', birth_date: '1984-01-09', sex: 'F', nationality: 'SLV' } });
  expect(mother, 'admit', 'madre de la menor');

  // ---- contingency records: El Amatillo lost its link for an afternoon ----
  // The crossings were decided on paper and entered by the supervisor; two
  // visitors who came in that way are now past their 90 days (overstayers).
  const ago = (days, hh) => new Date(Date.now() - days * 86400e3).toISOString().slice(0, 11) + hh + 'Z';
  const paper = [
    { days: 121, hh: '20:15', number: 'N44120017', state: 'NIC', given: 'Álvaro José', sur: 'Gutiérrez Membreño', birth: '1979-03-14', sex: 'M' },
    { days: 121, hh: '20:40', number: 'C8031544', state: 'COL', given: 'Daniela', sur: 'Ospina Restrepo', birth: '1995-09-02', sex: 'F' },
    { days: 121, hh: '21:05', number: 'E7713309', state: 'HND', given: 'Marvin Alexis', sur: 'Zelaya Cáceres', birth: '1987-12-21', sex: 'M' },
  ];
  for (const [i, t] of paper.entries()) {
    await sup.post('/api/v1/movements/contingency', {
      port: 'AMA', direction: 'entry', at: ago(t.days, t.hh), transport: 'Bus Transportes del Golfo 12', permitted_stay_days: 90,
      reference: `FC-AMA-2026-07-${String(i + 1).padStart(3, '0')}`, reason: 'Caída del enlace con SIGM en El Amatillo; decisión en papel (demo)',
      document: pass(t.number, t.state), person: { given_names: t.given, surnames: t.sur, birth_date: t.birth, sex: t.sex, nationality: t.state },
    }, 201);
    count('contingency_records');
    // the third one left through El Poy a month later, also during an outage
    if (i === 2) {
      await sup.post('/api/v1/movements/contingency', {
        port: 'POY', direction: 'exit', at: ago(90, '15:30'), transport: 'Vehículo particular P 338-221',
        reference: 'FC-POY-2026-08-014', reason: 'Caída del enlace con SIGM en El Poy (demo)',
        document: pass(t.number, t.state), person: { given_names: t.given, surnames: t.sur, birth_date: t.birth, sex: t.sex, nationality: t.state },
      }, 201);
      count('contingency_records');
    }
  }

  // ---- a certificate of movements (Ana Gabriela: exit and return) ----
  const cert = await sec.post('/api/v1/certificates', { kind: 'movements', person_id: back.person_id, requester: { kind: 'person' }, purpose: 'Trámite de residencia en el extranjero (demo)' });
  count('certificates');

  // ---- APIS: the airline's account sends the manifest of a flight that
  // lands today, three hours from now, so that the APIS desk (which opens on
  // today's arrivals) has it; tomorrow at 13:15 when that is past midnight ----
  const local = new Date(Date.now() - 6 * 3600e3);
  const land = new Date(local.getTime() + 3 * 3600e3);
  const arrAt = land.toISOString().slice(0, 10) === today ? land : new Date(`${addDays(today, 1)}T13:15:00Z`);
  const depAt = new Date(arrAt.getTime() - 3 * 3600e3 - 45 * 60e3);
  const stamp = (t) => yymmdd(t.toISOString().slice(0, 10)) + t.toISOString().slice(11, 16).replace(':', '');
  const manifest = paxlst({
    flight: 'TA501', carrier: 'TA', from: 'IAD', dep: stamp(depAt), arr: stamp(arrAt),
    passengers: [
      { surnames: 'GOMEZ AVILES', given: 'ROXANA BEATRIZ', sex: 'F', birth: '870704', nat: 'SLV', doc: 'A70040001', expiry: '310101' },
      { surnames: 'PORTILLO', given: 'DOUGLAS ALEXANDER', sex: 'M', birth: '920315', nat: 'SLV', doc: 'A70040002', expiry: '300601' },
      { surnames: 'MILLER', given: 'SARAH', sex: 'F', birth: '750928', nat: 'USA', doc: '587654321', expiry: '290301' },
      // the Interpol notice, under the carrier's spelling
      { surnames: 'KOVACEVIC', given: 'DRAGAN', sex: 'M', birth: '680419', nat: 'SRB', doc: '009876543', expiry: '300101' },
    ],
  });
  await admin.post('/api/v1/apis/carriers', { username: 'aerolinea', carrier: 'TA' }, 200);
  const carrier = new Client('aerolinea');
  carrier.token = CARRIER_TOKEN;
  const apis = await carrier.post('/api/v1/apis/manifests', manifest, 201, { 'content-type': 'application/edifact' });
  if (apis.status !== 'accepted' || apis.manifests.length !== 1) throw new Error('APIS manifest not accepted: ' + JSON.stringify(apis));
  count('apis_manifests');
  count('apis_passengers', apis.manifests[0].passengers);

  // ---- prechequeo: a bus company's list for La Hachadura, later today ----
  if (BUS_TOKEN) {
    const later = new Date(Date.now() - 6 * 3600e3 + 3 * 3600e3).toISOString().slice(0, 16);
    const arrival = later.slice(0, 10) === today ? later : `${addDays(today, 1)}T08:00`;
    await admin.post('/api/v1/apis/carriers', { username: 'autobuses', carrier: 'TICABUS', kind: 'bus' }, 200);
    const bus = new Client('autobuses');
    bus.token = BUS_TOKEN;
    const tr = (surnames, given_names, birth_date, sex, nationality, doc_number) => ({ surnames, given_names, birth_date, sex, nationality, doc_type: 'P', doc_number, doc_issuing_state: nationality, doc_expiry: '2031-01-01' });
    const list = await bus.post('/api/v1/prechequeo/lists', {
      port: 'HAC', vehicle: 'P-512 334', company: 'Transportes Tica Bus S.A. (demo)', trip: 'GUA-SSA-0600', arrival, direction: 'entry',
      travelers: [tr('Morales Pineda', 'Carlos Enrique', '1983-05-21', 'M', 'GTM', 'G80010001'), tr('Ixcoy Tum', 'Rosa Amalia', '1991-11-02', 'F', 'GTM', 'G80010002'),
        tr('Hernández Lara', 'José Wilfredo', '1979-08-30', 'M', 'SLV', 'A80010003'), tr('Kovacevic', 'Dragan', '1968-04-19', 'M', 'SRB', '009876543')],
    }, 201);
    count('prechequeo_lists');
    count('prechequeo_travelers', list.manifests[0].passengers);
  }

  // A last sanity read: the day's movements as the screen shows them.
  const mv = await sup.get(`/api/v1/movements?day=${today}&limit=500`);
  counts.movements_today = mv.items.length;
  console.log(JSON.stringify({ ok: true, today, decisions, ...counts, certificate: cert.code }));
}

main().catch((e) => {
  console.error('demo-data: la carga de datos de demostración falló:\n' + (e && e.message ? e.message : e));
  process.exit(1);
});
