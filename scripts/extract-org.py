#!/usr/bin/env python3
"""Transcribes the DGME's Manual de Organización y Funciones (plain text, in
../shared/seed/) into data/org/units.json: the 18 units in manual order, their
functions exactly as written with the number each carries, and the staff counts
by sex, null where the manual gives none.  Run once when the manual changes;
the JSON is what sigm loads, and tests/api/org-data.test.mjs checks it against
the manual again.

Usage: scripts/extract-org.py MANUAL.txt > data/org/units.json
"""
import json
import re
import sys

# Manual heading -> (code, name with its accents, kind, parent).  The manual's
# legend has four boxes (máxima autoridad, direcciones operativas, staff
# administrativo y jurídico, staff técnico) but the text does not say which
# unit is drawn in which: kind and parent are our reading of the structure,
# stated as such in data/org/README.md.
UNITS = [
    ("DIRECCION GENERAL DE MIGRACION Y EXTRANJERIA", "DG", "Dirección General de Migración y Extranjería", "maxima_autoridad", None),
    ("SUBDIRECCION GENERAL DE MIGRACION Y EXTRANJERIA", "SDG", "Subdirección General de Migración y Extranjería", "maxima_autoridad", "DG"),
    ("ASESORES", "ASE", "Asesores", "staff_administrativo_juridico", "DG"),
    ("SECRETARIA GENERAL", "SG", "Secretaría General", "staff_administrativo_juridico", "DG"),
    ("DIRECCION ADMINISTRATIVA - FINANCIERA", "DAF", "Dirección Administrativa-Financiera", "staff_administrativo_juridico", "SDG"),
    ("UNIDAD DE INFORMATICA Y DESARROLLO TECNOLOGICO", "UIDT", "Unidad de Informática y Desarrollo Tecnológico", "staff_tecnico", "SDG"),
    ("UNIDAD DE COMUNICACIONES Y PROTOCOLO", "UCP", "Unidad de Comunicaciones y Protocolo", "staff_tecnico", "DG"),
    ("UNIDAD DE PLANIFICACION Y DESARROLLO INSTITUCIONAL", "UPDI", "Unidad de Planificación y Desarrollo Institucional", "staff_tecnico", "DG"),
    ("UNIDAD DE SEGURIDAD INSTITUCIONAL", "USI", "Unidad de Seguridad Institucional", "staff_tecnico", "SDG"),
    ("UNIDAD DE VERIFICACION MIGRATORIA", "UVM", "Unidad de Verificación Migratoria", "staff_tecnico", "SDG"),
    ("UNIDAD DE ACCESO A LA INFORMACION PÚBLICA", "UAIP", "Unidad de Acceso a la Información Pública", "staff_tecnico", "DG"),
    ("UNIDAD JURIDICA", "UJ", "Unidad Jurídica", "staff_administrativo_juridico", "DG"),
    ("ESCUELA MIGRATORIA", "EM", "Escuela Migratoria", "staff_tecnico", "SDG"),
    ("UNIDAD DE GÉNERO", "UG", "Unidad de Género", "staff_tecnico", "DG"),
    ("DIRECCION DE CONTROL MIGRATORIO", "DCM", "Dirección de Control Migratorio", "direccion_operativa", "SDG"),
    ("DIRECCION DE EMISION DE PASAPORTE", "DEP", "Dirección de Emisión de Pasaporte", "direccion_operativa", "SDG"),
    ("DIRECCION DE EXTRANJERIA", "DEX", "Dirección de Extranjería", "direccion_operativa", "SDG"),
    ("DIRECCION DE ATENCION AL MIGRANTE", "DAM", "Dirección de Atención al Migrante", "direccion_operativa", "SDG"),
]

NUM = re.compile(r"^\s*(\d+)\.\s+(.*\S)\s*$")
ODD = re.compile(r"^\s*-\s*([a-zA-Z0-9])\.\s+(.*\S)\s*$")  # " - o. Administrar ..."
COUNT = re.compile(r"^\s*(Mujeres|Hombres|Total)\s*:\s*(\d*)\s*$")


def main(path):
    lines = open(path, encoding="utf-8").read().splitlines()
    heads = {h: i for i, l in enumerate(lines) for h in [l.strip()] if any(h == u[0] for u in UNITS)}
    # The cover repeats the first heading with accents; headings without
    # accents are the section titles.
    starts = []
    for h, code, name, kind, parent in UNITS:
        if h not in heads:
            sys.exit(f"heading not found: {h}")
        starts.append(heads[h])
    starts.append(len(lines))
    units = []
    for k, (h, code, name, kind, parent) in enumerate(UNITS):
        body = lines[starts[k] + 1:starts[k + 1]]
        functions, notes = [], []
        staff = {"women": None, "men": None, "total": None}
        seen_counts = set()
        expected = 1
        for l in body:
            m = NUM.match(l)
            if m:
                n = int(m.group(1))
                if n != expected:
                    notes.append(f"La numeración del manual salta de {expected - 1} a {n}: falta la función {expected}" if n > expected
                                 else f"Numeración repetida o fuera de orden en la función {n}")
                functions.append({"number": str(n), "text": m.group(2), "as_written": f"{n}."})
                expected = n + 1
                continue
            m = ODD.match(l)
            if m:
                functions.append({"number": str(expected), "text": m.group(2), "as_written": f"- {m.group(1)}."})
                notes.append(f"La función {expected} aparece en el manual como «- {m.group(1)}.» (error de numeración); se conserva el texto y se le asigna el número {expected}")
                expected += 1
                continue
            m = COUNT.match(l)
            if m:
                key = {"Mujeres": "women", "Hombres": "men", "Total": "total"}[m.group(1)]
                seen_counts.add(key)
                staff[key] = int(m.group(2)) if m.group(2) else None
                if not m.group(2):
                    notes.append(f"El manual deja en blanco la cifra de «{m.group(1)}»: se registra como desconocida (null), no como 0")
                continue
            if l.strip():
                notes.append(f"Línea no reconocida conservada: {l.strip()}")
        if not seen_counts:
            notes.append("El manual no indica el personal de esta unidad: mujeres, hombres y total desconocidos (null)")
        w, m_, t = staff["women"], staff["men"], staff["total"]
        if None not in (w, m_, t) and w + m_ != t:
            notes.append(f"Mujeres ({w}) + hombres ({m_}) no suman el total ({t}) del manual")
        units.append({"code": code, "name": name, "heading_as_written": h, "kind": kind, "parent": parent,
                      "functions": functions, "staff": staff, "notes": notes})
    out = {
        "source": "Manual de Organización y Funciones de la Dirección General de Migración y Extranjería, "
                  "aprobado el 05 DIC 2018 (seed/manual-organizacion-funciones-dgme.txt)",
        "approved": "2018-12-05",
        "kinds": {
            "maxima_autoridad": "Máxima autoridad",
            "direccion_operativa": "Direcciones operativas",
            "staff_administrativo_juridico": "Staff administrativo y jurídico",
            "staff_tecnico": "Staff técnico",
        },
        "units": units,
    }
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/seed/manual-organizacion-funciones-dgme.txt")
