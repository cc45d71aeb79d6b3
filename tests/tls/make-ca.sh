#!/usr/bin/env bash
# Makes a private certificate authority and a server certificate it signs, for the tests:
#   tests/tls/make-ca.sh DIR
# writes DIR/ca.pem (the CA certificate), DIR/server.pem and DIR/server.key (for the emulator's
# --tls-cert and --tls-key), valid for 127.0.0.1, localhost, operator.euid.test and
# blocked.euid.test. The CA's key is deleted once it has signed.
# The extensions come from config files written here, not from the system's openssl.cnf: with
# OpenSSL 1.1 (Debian 11), -addext adds to that file's v3_ca section, and the CA certificate
# then carries basicConstraints twice, which rustls-webpki refuses.
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
command -v openssl >/dev/null || { echo "$0: openssl is missing" >&2; exit 1; }
cd "$1"
printf '%s\n' "[req]" "distinguished_name = dn" "[dn]" "[ca]" \
  "basicConstraints = critical,CA:TRUE" "keyUsage = critical,keyCertSign,cRLSign" \
  "subjectKeyIdentifier = hash" >ca.cnf
openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -config ca.cnf -extensions ca -subj "/CN=euid-sdk test CA" -keyout ca.key -out ca.pem 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -config ca.cnf \
  -subj "/CN=operator.euid.test" -keyout server.key -out server.csr 2>/dev/null
printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature" \
  "extendedKeyUsage=serverAuth" \
  "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:operator.euid.test,DNS:blocked.euid.test" >server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
  -extfile server.ext -out server.pem 2>/dev/null
rm -f ca.key ca.srl ca.cnf server.csr server.ext
