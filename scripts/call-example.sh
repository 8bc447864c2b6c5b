#!/usr/bin/env bash
# Registers a number over gRPC with buf curl (through server reflection, no .proto needed) using the
# ID-card holder's photos from ../shared, then reads it back. Run after scripts/run-grid.sh --detach.
#   scripts/call-example.sh [PHONE_NUMBER]
set -euo pipefail
. "$(dirname "$0")/common.sh"
ensure_secrets

PHONE="${1:-13800138000}"
GRPC="${REALNAME_GRPC_URL:-http://127.0.0.1:50051}"
SHARED="${REALNAME_SHARED:-$REPO_ROOT/../shared}"
BUF="$REPO_ROOT/tools/node/node_modules/.bin/buf"
KEY="$(api_key RETAIL_TERMINAL)"   # a terminal of carrier cmcc
body="$(mktemp)"; trap 'rm -f "$body"' EXIT

cat >"$body" <<JSON
{
  "phone_number": "$PHONE",
  "customer": {
    "document": {"type": "DOCUMENT_TYPE_RESIDENT_ID", "number": "11010519491231002X", "name": "张三", "valid_until": "2035-01-01"},
    "portrait_image": "$(base64 -w0 "$SHARED/data/idcards/foamliu/id_card.jpg")",
    "live_image": "$(base64 -w0 "$SHARED/data/faces/foamliu_idcard/photo_1.jpg")"
  },
  "channel": {"kind": "CHANNEL_KIND_RETAIL", "carrier_id": "cmcc", "region": "110000",
              "outlet_id": "BJ-001", "clerk_id": "c-7", "device_id": "reader-1"},
  "idempotency_key": "example-$PHONE",
  "consent": {"consent_id": "example-consent-$PHONE", "text_version": "face-2026.1",
              "consented_at": "$(date -u -d '-1 minute' +%FT%TZ)"},
  "risk_notice": {"notice_version": "fraud-2021.1", "acknowledged_at": "$(date -u -d '-1 minute' +%FT%TZ)"}
}
JSON

echo "# RegisterSubscriber" >&2
"$BUF" curl --http2-prior-knowledge --protocol grpc -H "x-api-key: $KEY" -d @"$body" \
  "$GRPC/realname.v1.RegistrationService/RegisterSubscriber"
echo "# GetSubscriber" >&2
"$BUF" curl --http2-prior-knowledge --protocol grpc -H "x-api-key: $KEY" -d "{\"phone_number\": \"$PHONE\"}" \
  "$GRPC/realname.v1.RegistrationService/GetSubscriber"
