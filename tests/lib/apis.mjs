// apis.mjs - a TA flight's PAXLST passenger list and the booth's inspection
// of one of its travelers, for the API tests of what the lists count
// (reconciliation, carrier compliance).  A traveler is
// { given, sur, sex, birth: 'YYMMDD', nat, doc }, or with several DOC
// groups in the order sent, docs: [{ type, number, state }] (then doc is
// what the booth reads).

const p2 = (x) => String(x).padStart(2, '0');
// today in El Salvador (UTC-6), moved by days
export const svNow = (days = 0) => new Date(Date.now() - 6 * 3600000 + days * 86400000);
// El Salvador's today at hhmm as PAXLST writes it, "YYMMDDHHMM"
export const svStamp = (hhmm) => { const d = svNow(); return `${p2(d.getUTCFullYear() % 100)}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())}${hhmm}`; };

// flight from GUA to SAL, today
export function paxlst(flight, persons) {
  const segs = ['UNB+UNOA:4+TAIRLINE+SLVAPIS+261125:1200+R1', 'UNH+M1+PAXLST:D:05B:UN:IATA', 'BGM+745', 'NAD+MS+++OPS',
    `TDT+20+${flight}+++TA`, 'LOC+125+GUA', `DTM+189:${svStamp('0001')}:201`, 'LOC+87+SAL', `DTM+232:${svStamp('2359')}:201`];
  for (const p of persons) {
    segs.push(`NAD+FL+++${p.sur}:${p.given}`, `ATT+2++${p.sex}`, `DTM+329:${p.birth}`, `NAT+2+${p.nat}`);
    for (const d of p.docs || [{ type: 'P', number: p.doc }])
      segs.push(`DOC+${d.type}+${d.number}`, 'DTM+36:300101', `LOC+91+${d.state || p.nat}`);
  }
  segs.push(`CNT+42:${persons.length}`);
  // UNT counts the message's segments, UNH to UNT itself (not UNB)
  segs.push(`UNT+${segs.length}+M1`, 'UNZ+1+R1');
  return "UNA:+.? '" + segs.map((s) => s + "'").join('\n') + '\n';
}

// The booth (client) inspects the traveler entering at SAL for transport;
// a Bolivian needs a visa (without it, secondary).  extra: more fields.
export const inspectTraveler = (client, transport, p, extra = {}) => client.post('/api/v1/inspections', {
  port: 'SAL', direction: 'entry', transport,
  document: { kind: 'passport', code: 'P', number: p.doc, issuing_state: p.nat, nationality: p.nat, expiry_date: '2031-05-01' },
  person: { given_names: p.given, surnames: p.sur, birth_date: `19${p.birth.slice(0, 2)}-${p.birth.slice(2, 4)}-${p.birth.slice(4)}`, sex: p.sex, nationality: p.nat },
  ...extra,
});

// the consular visa the traveler shows the second time
export const VISA = (ref) => ({ visa: { type: 'consular', valid_until: '2030-01-01', reference: ref } });
