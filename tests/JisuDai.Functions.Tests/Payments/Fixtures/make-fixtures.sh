#!/usr/bin/env bash
# Makes the payment-protocol fixtures with tools that share no code with the adapter or the simulator: openssl for
# the keys, certificates and RSA signatures, Python's cryptography package for AEAD_AES_256_GCM. Run once; the
# outputs are committed and ProviderProtocolTests pins both sides of the protocol to them.
set -euo pipefail
cd "$(dirname "$0")"
for who in merchant platform; do
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$who-key.pem" -out "$who-cert.pem" -days 3650 -subj "/CN=fixture $who" -set_serial 0x5157F41A3C7B2E10 2>/dev/null
done
printf '%s' 'FixtureApiV3Key0123456789abcdefg' > apiv3-key
openssl x509 -in merchant-cert.pem -noout -serial | cut -d= -f2 > merchant-serial

# A merchant request, as WeChat Pay API v3 signs it: METHOD\nURL\ntimestamp\nnonce\nbody\n.
printf '%s' '{"appid":"wxd930ea5d5a258f4f","mchid":"1900000109","description":"fixture","out_trade_no":"pmtfixture0001","attach":"cust-1","notify_url":"http://127.0.0.1:9/n","amount":{"total":100,"currency":"CNY"}}' > request-body.json
printf 'POST\n/v3/pay/transactions/app\n1700000000\nfixturenonce1\n%s\n' "$(cat request-body.json)" | openssl dgst -sha256 -sign merchant-key.pem | base64 -w0 > request-signature

# A platform notification: timestamp\nnonce\nbody\n signed with the platform key, its resource sealed with the API v3 key.
printf '%s' '{"out_trade_no":"pmtfixture0001","transaction_id":"4200000000000000000000000001","trade_state":"SUCCESS","trade_state_desc":"paid","attach":"cust-1","success_time":"2023-11-15T06:13:20+08:00","amount":{"total":100,"payer_total":100,"currency":"CNY"}}' > resource-plain.json
python3 - <<'PY'
import base64
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
key = open("apiv3-key", "rb").read()
sealed = AESGCM(key).encrypt(b"fixturenonce", open("resource-plain.json", "rb").read(), b"transaction")
open("resource-ciphertext", "w").write(base64.b64encode(sealed).decode())
PY
printf '{"id":"fixture-notice-1","create_time":"2023-11-15T06:13:20+08:00","resource_type":"encrypt-resource","event_type":"TRANSACTION.SUCCESS","summary":"ok","resource":{"algorithm":"AEAD_AES_256_GCM","ciphertext":"%s","associated_data":"transaction","original_type":"transaction","nonce":"fixturenonce"}}' "$(cat resource-ciphertext)" > notification-body.json
printf '1700000000\nfixturenonce2\n%s\n' "$(cat notification-body.json)" | openssl dgst -sha256 -sign platform-key.pem | base64 -w0 > notification-signature
