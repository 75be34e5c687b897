#!/usr/bin/env bash
# make run: start sigm on SQLite with demo data.
# The demo database lives in build/demo/ (override with SIGM_DB).  On its
# first run the admin password is generated and kept, readable by you only,
# in build/demo/credentials.txt, so every later `make run` can print it.
set -eu
bin=$1
demo=build/demo
mkdir -p "$demo"
db=${SIGM_DB:-$demo/sigm.db}
cred=$demo/credentials.txt
listen=${SIGM_LISTEN:-127.0.0.1:8080}

if [ ! -f "$db" ]; then
  umask 077
  pw="Demo-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  printf 'admin %s\n' "$pw" > "$cred"
  SIGM_DB=$db "$bin" migrate >/dev/null
  printf '%s\n' "$pw" | SIGM_DB=$db "$bin" user add admin --unit UIDT --role admin_ti --name "Administrador del sistema" --password-stdin >/dev/null
  # One officer per role, all with the same demo password, in their units.
  demo_pw="Turno-$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  while IFS='|' read -r user unit role name; do
    printf '%s\n' "$demo_pw" | SIGM_DB=$db "$bin" user add "$user" --unit "$unit" --role "$role" --name "$name" --password-stdin >/dev/null
  done <<USERS
oficial|DCM|oficial_control|Oficial de control (demo)
supervisor|DCM|supervisor_control|Supervisora de control (demo)
secretaria|SG|secretaria_general|Secretaría General (demo)
pasaportes|DEP|pasaportes|Emisión de pasaportes (demo)
extranjeria|DEX|extranjeria|Extranjería (demo)
migrante|DAM|atencion_migrante|Atención al migrante (demo)
uaip|UAIP|uaip|Acceso a la información (demo)
planificacion|UPDI|planificacion|Planificación (demo)
direccion|DG|direccion|Dirección General (demo)
USERS
  printf 'demo-users %s\n' "$demo_pw" >> "$cred"
fi
# Not a fresh database: the admin already exists and its password is kept.
SIGM_ADMIN_PASSWORD=$(awk '$1=="admin"{print $2}' "$cred" 2>/dev/null || true)
export SIGM_ADMIN_PASSWORD
demo_pw=$(awk '$1=="demo-users"{print $2}' "$cred" 2>/dev/null || true)

cat <<MSG

  SIGM — Sistema Integrado de Gestión Migratoria (demo, SQLite: $db)

  URL:        http://$listen/
  Usuario:    admin
  Contraseña: ${SIGM_ADMIN_PASSWORD:-(ver $cred)}
  Usuarios de demostración (oficial, supervisor, secretaria, pasaportes,
  extranjeria, migrante, uaip, planificacion, direccion): contraseña ${demo_pw:-(ver $cred)}

  Ctrl-C detiene el servidor.

MSG
exec env SIGM_DB="$db" SIGM_LISTEN="$listen" "$bin" serve
