#!/bin/sh
# The talentdb API with curl alone: sign in with a password, make an API token from that
# session, then call the API with "Authorization: Bearer". Keep the token (it is shown once;
# store it like a password) and skip the sign-in next time by setting TALENTDB_TOKEN.
#
#   TALENTDB_URL=https://talentdb.example.org TALENTDB_USER=li.hua TALENTDB_PASSWORD=… \
#     sh docs/examples/token-flow.sh
#   TALENTDB_URL=https://talentdb.example.org TALENTDB_TOKEN=tdb_… sh docs/examples/token-flow.sh
#
# The session cookie (__Host-talentdb_session) is Secure: the server must be HTTPS. Needs curl
# 7.76 or later (--fail-with-body) and nothing else. docs/security.md explains the tokens.
set -eu

api="${TALENTDB_URL:?set TALENTDB_URL, e.g. https://talentdb.example.org}/api/v1"

# json_string prints $1 as a JSON string: backslashes and double quotes escaped.
json_string() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }
# field prints the value of the string field $1 of the one-line JSON object on stdin.
field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }

token="${TALENTDB_TOKEN:-}"
if [ -z "$token" ]; then
  jar=$(mktemp)
  trap 'rm -f "$jar"' EXIT
  # 1. sign in: the session cookie goes to the jar, the answer carries the CSRF token
  user=$(json_string "${TALENTDB_USER:?set TALENTDB_USER and TALENTDB_PASSWORD, or TALENTDB_TOKEN}")
  password=$(json_string "${TALENTDB_PASSWORD:?set TALENTDB_PASSWORD}")
  csrf=$(curl -sS --fail-with-body -c "$jar" -H 'Content-Type: application/json' \
    -d "{\"username\":$user,\"password\":$password}" "$api/auth/login" | field csrf_token)

  # 2. an API token, made from the session (a token cannot make a token); POST, PATCH, PUT
  #    and DELETE with the session cookie need the CSRF token in X-CSRF-Token
  token=$(curl -sS --fail-with-body -b "$jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
    -d '{"name":"partner script","expires_in_days":90}' "$api/auth/tokens" | field token)
  echo "API token (shown once; store it like a password): $token" >&2

  # the session has done its job
  curl -sS --fail-with-body -b "$jar" -H "X-CSRF-Token: $csrf" -X POST -o /dev/null "$api/auth/logout"
fi

# 3. every other call sends the token
curl -sS --fail-with-body -H "Authorization: Bearer $token" "$api/auth/me"
echo
curl -sS --fail-with-body -H "Authorization: Bearer $token" "$api/persons?limit=5"
echo
