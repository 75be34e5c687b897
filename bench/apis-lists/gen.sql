-- A year of APIS manifests and prechequeo lists, written straight into a
-- migrated SQLite database (bench/apis-lists/build.sh): 55 a day for 365
-- days up to @TODAY@ (40 flights at SAL, 12 buses at HAC/CHI/AMA, 3 ships
-- at ACA, one a 1,200-person cruise), 150 people each, each received as
-- an interchange of the size a real one has (30 KB raw, base64); the even seq of
-- every list inspected on arrival (a person, an inspection, an arrival),
-- three travelers a list inspected without being on it (one of every
-- tenth list's linked to a listed traveler, as a supervisor would), 1 %
-- of listed travelers linked to another record, two hits a list; and
-- every 30th day's cruise with 400 travelers the second, lost part of its
-- list carried.
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA cache_size = -400000;
CREATE TEMP TABLE n (i INTEGER PRIMARY KEY);
WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < 1199)
INSERT INTO n SELECT i FROM c;
CREATE TEMP TABLE today AS SELECT '@TODAY@' AS d;
BEGIN;
INSERT INTO apis_interchanges (id, received_at, source, submitted_by, raw_bytes, raw_sha256, raw_base64,
  status, errors_json, warnings_json, sender, reference, format)
SELECT d.i * 55 + s.i + 1, date(t.d, '-' || d.i || ' days', '-1 day') || 'T20:00:00Z', 'api',
  CASE WHEN s.i < 40 THEN 'air.' || (s.i % 4) WHEN s.i < 52 THEN 'bus.' || (s.i % 3) ELSE 'sea.0' END,
  CASE WHEN s.i < 40 THEN 30000 ELSE 12000 END, printf('%064d', d.i * 55 + s.i),
  printf('%.*c', CASE WHEN s.i < 40 THEN 40000 ELSE 16000 END, 'Q'), 'accepted', '[]', '[]', 'BENCH', 'R' || (d.i * 55 + s.i),
  CASE WHEN s.i < 40 THEN 'paxlst' ELSE 'json' END
FROM n d, n s, today t WHERE d.i < 365 AND s.i < 55;
INSERT INTO apis_manifests (id, interchange_id, message_ref, carrier, flight, flight_date, list_type,
  dep_port, dep_time, arr_port, arr_time, function, status, passengers, crew, received_at,
  screened_at, screen_hits, mode, direction, vehicle, company)
SELECT d.i * 55 + s.i + 1, d.i * 55 + s.i + 1, 'M' || (d.i * 55 + s.i),
  CASE WHEN s.i < 40 THEN 'T' || char(65 + s.i % 4) WHEN s.i < 52 THEN 'BUS' || (s.i % 3) ELSE 'SEA0' END,
  CASE WHEN s.i < 40 THEN 'T' || char(65 + s.i % 4) || (100 + s.i) WHEN s.i < 52 THEN 'P' || (500 + s.i) ELSE 'SHIP' || s.i END,
  date(t.d, '-' || d.i || ' days'), 'passenger',
  CASE WHEN s.i < 40 THEN 'MIA' WHEN s.i < 52 THEN 'GUA' ELSE 'FLL' END,
  date(t.d, '-' || d.i || ' days') || 'T' || printf('%02d', 6 + s.i % 16) || ':00',
  CASE WHEN s.i < 40 THEN 'SAL' WHEN s.i < 46 THEN 'HAC' WHEN s.i < 49 THEN 'CHI' WHEN s.i < 52 THEN 'AMA' ELSE 'ACA' END,
  date(t.d, '-' || d.i || ' days') || 'T' || printf('%02d', 8 + s.i % 14) || ':00',
  'original', 'current',
  CASE WHEN s.i = 52 THEN 900 WHEN s.i < 40 THEN 140 WHEN s.i < 52 THEN 148 ELSE 140 END,
  CASE WHEN s.i = 52 THEN 300 WHEN s.i < 40 THEN 10 WHEN s.i < 52 THEN 2 ELSE 10 END,
  date(t.d, '-' || d.i || ' days', '-1 day') || 'T20:00:00Z',
  date(t.d, '-' || d.i || ' days', '-1 day') || 'T20:00:01Z', 2,
  CASE WHEN s.i < 40 THEN 'air' WHEN s.i < 52 THEN 'land' ELSE 'sea' END,
  CASE WHEN s.i < 40 THEN NULL ELSE 'entry' END,
  CASE WHEN s.i < 40 THEN NULL WHEN s.i < 52 THEN 'P ' || (500 + s.i) ELSE 'Ship ' || s.i END,
  CASE WHEN s.i < 40 THEN NULL ELSE 'Empresa ' || s.i % 3 END
FROM n d, n s, today t WHERE d.i < 365 AND s.i < 55;
INSERT INTO apis_persons (manifest_id, seq, role, surnames, given_names, birth_date, sex, nationality,
  residence, doc_type, doc_number, doc_issuing_state, doc_expiry)
SELECT m.id, k.i + 1, CASE WHEN k.i < m.crew THEN 'crew' ELSE 'passenger' END,
  'APELLIDO' || (m.id * 7 + k.i) % 5000, 'NOMBRE' || k.i % 300,
  printf('%04d-%02d-%02d', 1950 + k.i % 50, 1 + k.i % 12, 1 + k.i % 28), CASE k.i % 2 WHEN 0 THEN 'F' ELSE 'M' END,
  'USA', 'USA', 'P', 'D' || m.id || 'X' || (k.i + 1), 'USA', '2030-01-01'
FROM apis_manifests m JOIN n k ON k.i < m.passengers + m.crew ORDER BY m.id, k.i;
COMMIT;
BEGIN;
-- listed arrivals: person, inspection and apis_persons share the id
INSERT INTO persons (id, given_names, surnames, birth_date, sex, nationality, created_at, updated_at, surnames_key)
SELECT p.id, p.given_names, p.surnames, p.birth_date, p.sex, p.nationality, m.arr_time, m.arr_time, p.surnames
FROM apis_persons p JOIN apis_manifests m ON m.id = p.manifest_id WHERE p.seq % 2 = 0;
INSERT INTO inspections (id, person_id, port, direction, transport, decision, reasons, officer, at, status)
SELECT p.id, p.id, m.arr_port, 'entry', m.flight, 'admitted', '[]', 'bench', m.arr_time || ':00Z', 'closed'
FROM apis_persons p JOIN apis_manifests m ON m.id = p.manifest_id WHERE p.seq % 2 = 0;
INSERT INTO apis_arrivals (inspection_id, manifest_id, apis_person_id, at)
SELECT p.id, p.manifest_id, p.id, m.arr_time || ':00Z'
FROM apis_persons p JOIN apis_manifests m ON m.id = p.manifest_id WHERE p.seq % 2 = 0;
-- three travelers a list inspected without being on it
INSERT INTO persons (id, given_names, surnames, birth_date, sex, nationality, created_at, updated_at, surnames_key)
SELECT 10000000 + m.id * 4 + k.i, 'EXTRA', 'SIN LISTA' || k.i, '1980-01-01', 'M', 'GTM', m.arr_time, m.arr_time, 'SIN LISTA'
FROM apis_manifests m JOIN n k ON k.i < 3;
INSERT INTO inspections (id, person_id, port, direction, transport, decision, reasons, officer, at, status)
SELECT 10000000 + m.id * 4 + k.i, 10000000 + m.id * 4 + k.i, m.arr_port, 'entry', m.flight, 'admitted', '[]', 'bench',
  m.arr_time || ':30Z', 'closed'
FROM apis_manifests m JOIN n k ON k.i < 3;
INSERT INTO apis_arrivals (inspection_id, manifest_id, apis_person_id, at)
SELECT 10000000 + m.id * 4 + k.i, m.id, NULL, m.arr_time || ':30Z' FROM apis_manifests m JOIN n k ON k.i < 3;
-- every 30th day's cruise (today's among them) sent its list in two
-- parts and the second never came: 400 of its travelers inspected
-- without being on what it sent
UPDATE apis_manifests SET access_ref = 'CRUISE' || id, parts_received = '1', parts_complete = 0
WHERE mode = 'sea' AND crew = 300 AND (julianday((SELECT d FROM today)) - julianday(flight_date)) % 30 = 0;
INSERT INTO persons (id, given_names, surnames, birth_date, sex, nationality, created_at, updated_at, surnames_key)
SELECT 20000000 + m.id * 1000 + k.i, 'PARTE', 'DOS' || k.i, '1970-01-01', 'F', 'USA', m.arr_time, m.arr_time, 'DOS'
FROM apis_manifests m JOIN n k ON k.i < 400 WHERE m.parts_received = '1';
INSERT INTO inspections (id, person_id, port, direction, transport, decision, reasons, officer, at, status)
SELECT 20000000 + m.id * 1000 + k.i, 20000000 + m.id * 1000 + k.i, m.arr_port, 'entry', m.flight, 'admitted', '[]', 'bench',
  m.arr_time || ':40Z', 'closed'
FROM apis_manifests m JOIN n k ON k.i < 400 WHERE m.parts_received = '1';
INSERT INTO apis_arrivals (inspection_id, manifest_id, apis_person_id, at)
SELECT 20000000 + m.id * 1000 + k.i, m.id, NULL, m.arr_time || ':40Z'
FROM apis_manifests m JOIN n k ON k.i < 400 WHERE m.parts_received = '1';
-- links (both directions, as person_links keeps them): every tenth
-- list's first unlisted traveler is its seq 2, and 1 % of the listed
-- travelers are linked to the record after theirs
INSERT INTO person_duplicates (id, person_id, other_person_id, reason, status, created_at)
SELECT m.id, 10000000 + m.id * 4, (SELECT p.id FROM apis_persons p WHERE p.manifest_id = m.id AND p.seq = 2),
  'bench', 'same', m.arr_time FROM apis_manifests m WHERE m.id % 10 = 0;
INSERT INTO person_links (person_id, linked_person_id, duplicate_id)
SELECT person_id, other_person_id, id FROM person_duplicates UNION ALL
SELECT other_person_id, person_id, id FROM person_duplicates;
INSERT INTO person_duplicates (id, person_id, other_person_id, reason, status, created_at)
SELECT 1000000 + p.id, p.id, p.id + 2, 'bench', 'same', '2026-01-01'
FROM apis_persons p WHERE p.seq % 200 = 4;
INSERT INTO person_links (person_id, linked_person_id, duplicate_id)
SELECT person_id, other_person_id, id FROM person_duplicates WHERE id > 1000000 UNION ALL
SELECT other_person_id, person_id, id FROM person_duplicates WHERE id > 1000000;
INSERT INTO apis_hits (manifest_id, apis_person_id, severity, severity_rank, category, score, record_ref,
  explanation, screened_at, review)
SELECT p.manifest_id, p.id, 'high', 1, 'alert', 90, 'alert:1', 'bench', '2026-01-01T00:00:00Z',
  CASE WHEN p.manifest_id % 3 = 0 THEN NULL ELSE 'cleared' END
FROM apis_persons p WHERE p.seq IN (1, 3);
COMMIT;
